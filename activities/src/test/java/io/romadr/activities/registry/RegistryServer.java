package io.romadr.activities.registry;

import static org.junit.jupiter.api.Assertions.fail;

import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

/**
 * A real registry (Debian's {@code docker-registry}, distribution v2.8) as a child process on a free loopback port,
 * filesystem storage in a temp dir, deletes enabled, its log (access log included) in a file. A missing binary is a
 * test failure, never a skip.
 */
public final class RegistryServer extends LocalServerProcess {
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String binary;
    private final Path dir;
    private final URI url;

    private RegistryServer(String binary, Path dir, int port) {
        super("docker-registry", dir.resolve("registry.log"), START_DEADLINE);
        this.binary = binary;
        this.dir = dir;
        this.url = URI.create("http://127.0.0.1:" + port);
    }

    public static RegistryServer start() throws Exception {
        return start("");
    }

    /**
     * With {@code configAddition} appended to the config: top-level YAML sections such as {@code notifications:}
     * (the registry posts its events to an endpoint).
     */
    public static RegistryServer start(String configAddition) throws Exception {
        String binary = System.getenv().getOrDefault("ROMA_DR_REGISTRY", "/usr/bin/docker-registry");
        if (!Files.isExecutable(Path.of(binary))) {
            fail(binary + " not found: these tests need a real registry (apt-get install docker-registry)");
        }
        Path dir = Files.createTempDirectory("roma-registry");
        int port = freePort();
        String config = """
                version: 0.1
                log:
                  level: info
                  formatter: text
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port) + configAddition;
        Files.writeString(dir.resolve("config.yml"), config);
        RegistryServer server = new RegistryServer(binary, dir, port);
        server.launch();
        return server;
    }

    @Override
    protected List<String> command() {
        return List.of(binary, "serve", dir.resolve("config.yml").toString());
    }

    @Override
    protected Optional<String> notReady() throws IOException, InterruptedException {
        return httpAnswers(url.resolve("/v2/"), 200);
    }

    public URI url() {
        return url;
    }

    /** host:port, as the engine names images in this registry. */
    public String hostAndPort() {
        return url.getHost() + ":" + url.getPort();
    }

    public Path storage() {
        return dir.resolve("storage");
    }

    /** The data file of a blob in the filesystem storage. */
    public Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return storage().resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    /**
     * Requests a unique path and waits until the registry has logged it: everything the registry handled before is
     * then in the log too (one access log, written in order). Returns the log up to and including that line.
     */
    public String logThroughMarker() throws Exception {
        String marker = "roma-marker-" + UUID.randomUUID().toString().substring(0, 8);
        HTTP.send(HttpRequest.newBuilder(url.resolve("/v2/" + marker + "/tags/list")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String text = logText();
            int at = text.lastIndexOf(marker);
            if (at >= 0) {
                int end = text.indexOf('\n', at);
                return end < 0 ? text : text.substring(0, end + 1);
            }
            TimeUnit.MILLISECONDS.sleep(50); // poll interval; the loop checks the log
        }
        fail("registry did not log the marker request within 10 s:\n" + logTail());
        return null;
    }

    @Override
    public void close() {
        super.close();
        deleteTree(dir);
    }
}
