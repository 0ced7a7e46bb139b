package io.romadr.worker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.worker.CliRun;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.romadr.worker.crash.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys: the Go-built Temporal server with TLS and {@code global.authorization} (default authorizer and claim
 * mapper, a JWKS the test writes), the key a JWT with {@code permissions: ["default:admin"]}. With it the bare worker
 * ({@code TEMPORAL_API_KEY}) and the CLI ({@code --api-key-file}) run a real workflow; with a key signed by someone
 * else, or none, both are refused with "permission denied" and never show the key.
 */
@Tag("integration")
class ApiKeyTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TemporalServerProcess server;
    static Path plans;
    static String goodKey;
    static String wrongKey;
    static Path goodKeyFile;
    static Path wrongKeyFile;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"));
        plans = TlsFixtures.plans(tmp);
        KeyPair signer = TestPki.signingKey();
        Path jwks = TestPki.writeJwks(tmp.resolve("jwks.json"), signer);
        goodKey = TestPki.jwt(signer, "roma-dr-worker", "default:admin");
        wrongKey = TestPki.jwt(TestPki.signingKey(), "roma-dr-worker", "default:admin");
        goodKeyFile = Files.writeString(tmp.resolve("api-key"), goodKey + "\n");
        wrongKeyFile = Files.writeString(tmp.resolve("wrong-api-key"), wrongKey);
        server = TemporalServerProcess.start(tmp.resolve("server"), new TemporalServerProcess.SqliteInMemory(),
                new TemporalServerProcess.Security(
                        new TemporalServerProcess.FrontendTls(pki.serverCert, pki.serverKey, null), jwks));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withTheKeyTheWorkerAndTheCliRunAWorkflow() throws Exception {
        String queue = "roma-dr-apikey";
        try (WorkerProcess worker = WorkerProcess.start("apikey", tmp.resolve("logs"), server.address(), queue,
                plans, Map.of("TEMPORAL_TLS_CA", pki.caCert.toString(), "TEMPORAL_API_KEY", goodKey))) {
            assertTrue(worker.logText().contains("API key from environment TEMPORAL_API_KEY"), worker.logText());
            assertFalse(worker.logText().contains(goodKey), "the worker's output shows the key");
            CliRun list = TlsFixtures.backupsList(server.address(), queue, "--tls-ca", pki.caCert.toString(),
                    "--api-key-file", goodKeyFile.toString());
            assertEquals(0, list.exit(), list::toString);
        }
    }

    @Test
    void aWrongKeyIsRefusedAsPermissionDeniedWithoutShowingIt() {
        CliRun cli = TlsFixtures.cli(server.address(), "status", "x", "--once", "--tls-ca", pki.caCert.toString(),
                "--api-key-file", wrongKeyFile.toString());
        System.out.println("wrong API key: " + cli.err().strip());
        assertEquals(6, cli.exit(), cli::toString);
        assertTrue(cli.err().contains("permission denied"), cli::toString);
        assertTrue(cli.err().contains("check the API key (from file " + wrongKeyFile + ")"), cli::toString);
        assertFalse(cli.toString().contains(wrongKey), "the CLI shows the key");

        CliRun worker = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> TlsFixtures.bareWorkerThatFails(
                "--address", server.address(), "--plans", plans.toString(), "--task-queue", "roma-dr-apikey-bad",
                "--tls-ca", pki.caCert.toString(), "--api-key-file", wrongKeyFile.toString()));
        System.out.println("worker, wrong API key: " + worker.err().strip());
        assertEquals(6, worker.exit(), worker::toString);
        assertTrue(worker.err().contains("permission denied"), worker::toString);
        assertFalse(worker.toString().contains(wrongKey), "the worker shows the key");
    }

    @Test
    void noKeyAtAllIsRefusedAsPermissionDenied() {
        // the harness's own connection (internal-frontend) sees the namespace; the public frontend wants a key
        CliRun cli = TlsFixtures.backupsList(server.address(), "roma-dr-apikey-none", "--tls-ca",
                pki.caCert.toString());
        System.out.println("no API key: " + cli.err().strip());
        assertEquals(6, cli.exit(), cli::toString);
        assertTrue(cli.err().contains("refused the request: permission denied (Request unauthorized.); no API key "
                + "was given: set --api-key-file"), cli::toString);
    }
}
