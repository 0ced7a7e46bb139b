package io.romadr.activities.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.EnvValue;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Env values are read on the worker; what goes wrong names the variable or file, never a value. */
class PlanEnvironmentTest {
    static final String CANARY = "canary-7f3a9c";

    @Test
    void literalsVariablesAndFilesResolve(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db_password");
        Files.writeString(file, CANARY + "-file\n");
        Map<String, EnvValue> env = new LinkedHashMap<>();
        env.put("LOG_LEVEL", EnvValue.literal("debug"));
        env.put("DB_PASSWORD", new EnvValue(null, "ROMA_DB_PASSWORD", null));
        env.put("API_KEY", new EnvValue(null, null, file.toString()));
        PlanEnvironment.Resolved resolved = PlanEnvironment.resolve(env,
                Map.of("ROMA_DB_PASSWORD", CANARY + "-env"));
        assertEquals(Map.of("LOG_LEVEL", "debug", "DB_PASSWORD", CANARY + "-env", "API_KEY", CANARY + "-file"),
                resolved.values());
        // what a command prints is masked before it can reach a result, a failure or history; literals are not
        String output = "connecting with " + CANARY + "-env and " + CANARY + "-file at level debug";
        assertEquals("connecting with **** and **** at level debug", resolved.mask(output));
        assertEquals(Map.of("LOG_LEVEL", "debug", "DB_PASSWORD", CANARY + "-env", "API_KEY", CANARY + "-file",
                "ROMA_DR_REGISTRY", "r"), resolved.with("ROMA_DR_REGISTRY", "r").values());
    }

    @Test
    void everyLineOfAMultiLineSecretIsMasked(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key");
        Files.writeString(key, "-----BEGIN KEY-----\n" + CANARY + "-line2\n-----END KEY-----\n");
        PlanEnvironment.Resolved resolved = PlanEnvironment.resolve(
                Map.of("KEY", new EnvValue(null, null, key.toString())), Map.of());
        assertEquals("error near ****", resolved.mask("error near " + CANARY + "-line2"));
    }

    @Test
    void aMissingVariableIsANonRetryableFailureNamingIt() {
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> PlanEnvironment.resolve(
                Map.of("DB_PASSWORD", new EnvValue(null, "ROMA_DB_PASSWORD", null)), Map.of("OTHER", CANARY)));
        assertTrue(f.isNonRetryable());
        assertEquals("PlanEnvironmentMissing", f.getType());
        assertTrue(f.getOriginalMessage().contains("env DB_PASSWORD: environment variable ROMA_DB_PASSWORD is not set"),
                f.getOriginalMessage());
        assertFalse(f.getOriginalMessage().contains(CANARY));
    }

    @Test
    void aMissingOrHugeFileIsANonRetryableFailureNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nosuch");
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> PlanEnvironment.resolve(
                Map.of("TOKEN", new EnvValue(null, null, missing.toString())), Map.of()));
        assertTrue(f.isNonRetryable());
        assertTrue(f.getOriginalMessage().contains("env TOKEN: cannot read the file " + missing),
                f.getOriginalMessage());
        Path huge = dir.resolve("huge");
        Files.writeString(huge, CANARY.repeat(20_000));
        ApplicationFailure big = assertThrows(ApplicationFailure.class, () -> PlanEnvironment.resolve(
                Map.of("TOKEN", new EnvValue(null, null, huge.toString())), Map.of()));
        assertTrue(big.getOriginalMessage().contains("is larger than 64 KiB"), big.getOriginalMessage());
        assertFalse(big.getOriginalMessage().contains(CANARY));
    }
}
