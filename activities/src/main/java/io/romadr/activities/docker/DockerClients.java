package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/**
 * Docker clients for the worker host. The engine is {@code DOCKER_HOST}, else the local socket. Requests are sent
 * without an API version prefix (the engine answers in its own version: 1.41 for Debian's docker.io 20.10, newer for
 * newer engines, which refuse old pinned versions) unless {@code DOCKER_API_VERSION} pins one.
 */
public final class DockerClients {
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than any stop timeout a plan may sensibly ask for; the activities' own timeouts bound a call anyway. */
    static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Engine requests one client has open at once: the acting calls' {@code EngineCalls.ACTING_AT_ONCE} and as many
     * again for reads. An acting call (a restart, a stop with its timeout) holds its connection for seconds; with 32
     * connections in all, 100 recoveries' restarts kept the observing steps' short reads waiting behind them, some
     * past their workflow task's timeout (docs/benchmarks.md section 9).
     */
    static final int MAX_CONNECTIONS = 64;

    private DockerClients() {
    }

    public static DockerClient fromEnvironment() {
        String host = System.getenv("DOCKER_HOST");
        return forHost(host == null || host.isBlank() ? DEFAULT_HOST : host.trim());
    }

    public static DockerClient forHost(String host) {
        String pinned = System.getenv("DOCKER_API_VERSION");
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withApiVersion(pinned == null || pinned.isBlank()
                        ? RemoteApiVersion.UNKNOWN_VERSION
                        : RemoteApiVersion.parseConfig(pinned.trim()))
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
