package io.romadr.worker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.temporal.TemporalEndpoint;
import io.romadr.temporal.TemporalTls;
import io.romadr.worker.CliRun;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server TLS: the Go-built Temporal server with a certificate from a CA the test makes. A client that trusts the CA
 * connects; one without TLS, one that does not trust the CA and one that expects another server name are refused,
 * each with a message that says what to set.
 */
@Tag("integration")
class ServerTlsTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TemporalServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"));
        server = TemporalServerProcess.start(tmp.resolve("server"), new TemporalServerProcess.SqliteInMemory(),
                new TemporalServerProcess.Security(
                        new TemporalServerProcess.FrontendTls(pki.serverCert, pki.serverKey, null), null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aClientTrustingTheCaConnects() {
        TemporalEndpoint endpoint = new TemporalEndpoint(server.address(), "default",
                new TemporalTls(null, pki.caCert, null, null, null), null);
        try (TemporalConnection c = new TemporalConnection(endpoint, null)) {
            String version = c.service().blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
                    .getServerVersion();
            assertEquals(server.version(), version);
        }
        // the CLI with --tls-ca: the server answers (no such workflow: exit 4, not "cannot reach")
        CliRun status = TlsFixtures.cli(server.address(), "status", "no-such-recovery", "--once",
                "--tls-ca", pki.caCert.toString());
        assertTrue(status.err().contains("no-such-recovery") && !status.err().contains("cannot reach"),
                status::toString);
        // and the name in the certificate: localhost works as well as 127.0.0.1
        CliRun byName = TlsFixtures.cli(server.address(), "status", "no-such-recovery", "--once",
                "--tls-ca", pki.caCert.toString(), "--tls-server-name", "localhost");
        assertEquals(status.exit(), byName.exit(), byName::toString);
    }

    @Test
    void aClientWithoutTlsIsRefusedWithAClearMessage() {
        var e = assertThrows(IllegalStateException.class,
                () -> new TemporalConnection(TemporalEndpoint.plain(server.address(), "default"), null));
        System.out.println("plaintext client: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot reach Temporal at " + server.address()), e.getMessage());
        assertTrue(e.getMessage().contains("if the server requires TLS, turn TLS on (--tls, TEMPORAL_TLS=true"),
                e.getMessage());

        CliRun cli = TlsFixtures.cli(server.address(), "status", "x", "--once");
        assertEquals(6, cli.exit(), cli::toString);
        assertTrue(cli.err().contains("if the server requires TLS, turn TLS on"), cli::toString);
        assertTrue(!cli.err().contains("Exception"), cli::toString);
    }

    @Test
    void aClientNotTrustingTheCaIsToldToSetIt() {
        CliRun cli = TlsFixtures.cli(server.address(), "status", "x", "--once", "--tls");
        System.out.println("untrusted CA: " + cli.err().strip());
        assertEquals(6, cli.exit(), cli::toString);
        assertTrue(cli.err().contains("roma-dr: TLS handshake with Temporal at " + server.address() + " failed"),
                cli::toString);
        assertTrue(cli.err().contains("not signed by a trusted CA: set --tls-ca"), cli::toString);
    }

    @Test
    void aWrongServerNameIsToldToSetIt() {
        CliRun cli = TlsFixtures.cli(server.address(), "status", "x", "--once", "--tls-ca", pki.caCert.toString(),
                "--tls-server-name", "temporal.other.example");
        System.out.println("wrong server name: " + cli.err().strip());
        assertEquals(6, cli.exit(), cli::toString);
        assertTrue(cli.err().contains("TLS handshake with Temporal at " + server.address() + " failed"),
                cli::toString);
        assertTrue(cli.err().contains("does not name temporal.other.example: set --tls-server-name"),
                cli::toString);
    }

    @Test
    void aMissingCaFileIsAUsageErrorNamingIt() {
        Path missing = tmp.resolve("nope/ca.crt");
        CliRun cli = TlsFixtures.cli(server.address(), "status", "x", "--once", "--tls-ca", missing.toString());
        assertEquals(2, cli.exit(), cli::toString);
        assertEquals("roma-dr: the TLS CA certificate (temporal.tls.caFile, --tls-ca, TEMPORAL_TLS_CA): cannot read "
                + "the file " + missing + " (NoSuchFileException)", cli.err().strip(), cli::toString);
    }
}
