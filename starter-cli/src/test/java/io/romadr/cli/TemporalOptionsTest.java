package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.temporal.TemporalEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's connection options: flags and the Temporal CLI's environment names become one endpoint. */
class TemporalOptionsTest {
    @TempDir
    Path tmp;

    static TemporalOptions parse(Map<String, String> environment, String... args) {
        TemporalOptions o = new TemporalOptions();
        new CommandLine(o).parseArgs(args);
        o.environment = environment;
        return o;
    }

    @Test
    void flagsForMutualTlsAndAKeyFile() throws Exception {
        Path key = Files.writeString(tmp.resolve("key"), "secret-key-value\n");
        TemporalEndpoint e = parse(Map.of(), "--address", "t.example:7233", "--namespace", "prod", "--tls-ca", "/ca",
                "--tls-cert", "/c", "--tls-key", "/k", "--tls-server-name", "temporal.internal", "--api-key-file",
                key.toString()).endpoint();
        assertEquals("t.example:7233 namespace prod (TLS: CA /ca, client certificate /c and key /k, server name "
                + "temporal.internal; API key from file " + key + ")", e.describe());
    }

    @Test
    void theKeyFromTheEnvironmentTurnsTlsOnUnlessTlsIsFalse() {
        TemporalOptions cloud = parse(Map.of("TEMPORAL_API_KEY", "secret-key-value"));
        assertTrue(cloud.endpoint().tlsOn());
        assertEquals("127.0.0.1:7233 namespace default (TLS: the JDK's CAs; API key from environment "
                + "TEMPORAL_API_KEY)", cloud.endpoint().describe());
        assertFalse(parse(Map.of("TEMPORAL_API_KEY", "k"), "--tls=false").endpoint().tlsOn());
        assertTrue(parse(Map.of(), "--tls").endpoint().tlsOn());
        assertFalse(parse(Map.of("TEMPORAL_API_KEY", "k"), "--tls=no").endpoint().tlsOn());
        assertEquals(ExitCodes.USAGE, assertThrows(CliException.class,
                () -> parse(Map.of(), "--tls=maybe").endpoint()).exitCode());
    }

    @Test
    void theKeyItselfIsNeverAnOption() {
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> parse(Map.of(), "--api-key", "k"));
    }

    @Test
    void contradictionsAndMissingFilesAreUsageErrors() {
        var off = assertThrows(CliException.class, () -> parse(Map.of(), "--tls=false", "--tls-ca", "/ca")
                .endpoint());
        assertEquals(ExitCodes.USAGE, off.exitCode());
        assertTrue(off.getMessage().contains("is false but TLS files"), off.getMessage());
        var missing = assertThrows(CliException.class, () -> parse(Map.of(), "--api-key-file",
                tmp.resolve("none").toString()).endpoint());
        assertEquals(ExitCodes.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().contains("cannot read the file " + tmp.resolve("none")),
                missing.getMessage());
    }
}
