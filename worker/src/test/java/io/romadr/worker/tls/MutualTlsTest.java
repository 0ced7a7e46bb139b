package io.romadr.worker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropwizard.testing.DropwizardTestSupport;
import io.romadr.worker.CliRun;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.romadr.worker.crash.WorkerProcess;
import io.romadr.worker.host.RomaDrApplication;
import io.romadr.worker.host.RomaDrConfiguration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS ({@code requireClientAuth}) on the Go-built Temporal server: a client without a certificate is refused
 * with a message saying so; with the client certificate the bare worker (TEMPORAL_TLS_* environment), the worker host
 * (Dropwizard {@code server} with {@code temporal.tls} in its YAML, the key in PKCS#1) and the CLI ({@code --tls-*}
 * flags, the key in PKCS#8) connect, and a real workflow (the plan's backup catalog) runs on each worker.
 */
@Tag("integration")
class MutualTlsTest {
    @TempDir
    static Path tmp;
    static TestPki pki;
    static TemporalServerProcess server;
    static Path plans;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(tmp.resolve("pki"));
        plans = TlsFixtures.plans(tmp);
        server = TemporalServerProcess.start(tmp.resolve("server"), new TemporalServerProcess.SqliteInMemory(),
                new TemporalServerProcess.Security(
                        new TemporalServerProcess.FrontendTls(pki.serverCert, pki.serverKey, pki.caCert), null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    String[] cliMutualTls() {
        return new String[]{"--tls-ca", pki.caCert.toString(), "--tls-cert", pki.clientCert.toString(),
                "--tls-key", pki.clientKeyPkcs8.toString()};
    }

    @Test
    void withoutAClientCertificateTheServerRefuses() {
        CliRun cli = TlsFixtures.cli(server.address(), "status", "x", "--once", "--tls-ca", pki.caCert.toString());
        System.out.println("no client certificate: " + cli.err().strip());
        assertEquals(6, cli.exit(), cli::toString);
        assertTrue(cli.err().contains("Temporal at " + server.address()), cli::toString);
        assertTrue(cli.err().contains("client certificate"), cli::toString);
        assertTrue(!cli.err().contains("Exception:"), cli::toString);
    }

    @Test
    void theCliConnectsFromTheEnvironment() throws Exception {
        // a JVM of its own: picocli reads TEMPORAL_TLS_* as an SRE's shell sets them
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-cp", WorkerProcess.classpath(),
                "io.romadr.cli.RomaDrCommand", "status", "no-such-recovery", "--once").redirectErrorStream(true);
        pb.environment().putAll(Map.of("TEMPORAL_ADDRESS", server.address(), "TEMPORAL_TLS_CA",
                pki.caCert.toString(), "TEMPORAL_TLS_CERT", pki.clientCert.toString(), "TEMPORAL_TLS_KEY",
                pki.clientKeyPkcs1.toString()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
        System.out.println("CLI from the environment: " + out.strip());
        // the server answered over mutual TLS: no such workflow, not a connection failure
        assertTrue(out.contains("no-such-recovery") && !out.contains("cannot reach") && !out.contains("TLS"), out);
    }

    @Test
    void theBareWorkerConnectsFromTheEnvironmentAndRunsAWorkflow() throws Exception {
        String queue = "roma-dr-mtls-bare";
        try (WorkerProcess worker = WorkerProcess.start("mtls-bare", tmp.resolve("logs"), server.address(), queue,
                plans, Map.of("TEMPORAL_TLS_CA", pki.caCert.toString(), "TEMPORAL_TLS_CERT",
                        pki.clientCert.toString(), "TEMPORAL_TLS_KEY", pki.clientKeyPkcs8.toString()))) {
            assertTrue(worker.logText().contains("TLS: CA " + pki.caCert + ", client certificate " + pki.clientCert),
                    worker.logText());
            CliRun list = TlsFixtures.backupsList(server.address(), queue, cliMutualTls());
            assertEquals(0, list.exit(), list::toString);
        }
    }

    @Test
    void theWorkerHostConnectsFromItsYamlAndRunsAWorkflow() throws Exception {
        String queue = "roma-dr-mtls-host";
        Path config = tmp.resolve("worker-mtls.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                temporal:
                  address: "%s"
                  taskQueue: %s
                  tls:
                    caFile: "%s"
                    certFile: "%s"
                    keyFile: "%s"
                    serverName: localhost
                plansDir: "%s"
                """.formatted(server.address(), queue, pki.caCert, pki.clientCert, pki.clientKeyPkcs1, plans));
        assertTrue(Files.readString(pki.clientKeyPkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        DropwizardTestSupport<RomaDrConfiguration> host = new DropwizardTestSupport<>(RomaDrApplication.class,
                config.toString());
        host.before();
        try {
            CliRun list = TlsFixtures.backupsList(server.address(), queue, cliMutualTls());
            assertEquals(0, list.exit(), list::toString);
        } finally {
            host.after();
        }
    }
}
