package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** Shared by the tests that need the real engine: a missing engine fails the test, it never skips it. */
public final class DockerTestSupport {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DockerTestSupport() {
    }

    public static DockerClient docker() {
        DockerClient docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("Docker engine unreachable at "
                    + System.getenv().getOrDefault("DOCKER_HOST", DockerClients.DEFAULT_HOST)
                    + " (" + e + "). Start it (e.g. `nohup dockerd >/tmp/dockerd.log 2>&1 &`); these tests need a"
                    + " real engine and are never skipped.");
        }
        return docker;
    }

    /** The engine as {@link #docker()}, with the sandbox image built if it is missing. */
    public static DockerClient dockerWithSandboxImage() {
        DockerClient docker = docker();
        SandboxImage.ensure(docker);
        return docker;
    }

    static String project() {
        return "romadr-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
