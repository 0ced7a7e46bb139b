package io.romadr.activities.registry;

import io.romadr.activities.ProcessTrees;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real registry (Debian's {@code docker-registry}, distribution v2.8) as a child process on a free loopback port,
 * filesystem storage in a temp dir, deletes enabled, its log (access log included) in a file. A missing binary is a
 * test failure, never a skip.
 */
public final class RegistryServer implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path dir;
    private final URI url;
    private final Path log;

    private RegistryServer(Process process, Path dir, URI url, Path log) {
        this.process = process;
        this.dir = dir;
        this.url = url;
        this.log = log;
    }

    public static RegistryServer start() throws Exception {
        String binary = System.getenv().getOrDefault("ROMA_DR_REGISTRY", "/usr/bin/docker-registry");
        if (!Files.isExecutable(Path.of(binary))) {
            fail(binary + " not found: these tests need a real registry (apt-get install docker-registry)");
        }
        Path dir = Files.createTempDirectory("roma-registry");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
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
                """.formatted(dir.resolve("storage"), port);
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config);
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(binary, "serve", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        RegistryServer server = new RegistryServer(process, dir, URI.create("http://127.0.0.1:" + port), log);
        try {
            server.awaitUp();
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
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

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
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
        fail("registry did not log the marker request within 10 s:\n" + tail());
        return null;
    }

    private void awaitUp() throws Exception {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("docker-registry exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(url.resolve("/v2/"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(50); // poll interval; the loop checks /v2/
        }
        fail("registry not up within " + START_DEADLINE + " (" + last + "):\n" + tail());
    }

    private String tail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    @Override
    public void close() throws Exception {
        ProcessTrees.stop(process);
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
