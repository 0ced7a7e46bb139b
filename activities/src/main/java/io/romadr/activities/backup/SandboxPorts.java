package io.romadr.activities.backup;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How a plan's HTTP check URL reaches a test-restore sandbox. The URL names the live service as seen from the worker
 * host, so its port is usually a host port the live container publishes (e.g. 18080 for container port 8080); it may
 * also name the container port itself. Either way it is mapped to the container port and then to the host port the
 * sandbox publishes for it on 127.0.0.1.
 *
 * @param liveHostToContainer host port published by the live container -> its container port
 * @param sandboxHostPorts    container port -> host port the sandbox publishes on 127.0.0.1
 */
record SandboxPorts(Map<Integer, Integer> liveHostToContainer, Map<Integer, Integer> sandboxHostPorts) {
    static final String SANDBOX_HOST = "127.0.0.1";

    SandboxPorts {
        liveHostToContainer = Map.copyOf(liveHostToContainer);
        sandboxHostPorts = Map.copyOf(sandboxHostPorts);
    }

    /** The URL pointed at the sandbox, or empty when the sandbox publishes no port for it. */
    Optional<String> rewrite(String url) {
        URI uri = URI.create(url);
        int port = port(uri);
        Integer containerPort = liveHostToContainer.getOrDefault(port, port);
        Integer sandboxPort = sandboxHostPorts.get(containerPort);
        if (sandboxPort == null) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder(uri.getScheme()).append("://");
        if (uri.getRawUserInfo() != null) {
            s.append(uri.getRawUserInfo()).append('@');
        }
        s.append(SANDBOX_HOST).append(':').append(sandboxPort);
        s.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            s.append('?').append(uri.getRawQuery());
        }
        return Optional.of(s.toString());
    }

    /**
     * Whether the URL names the live service: its port is one the live container publishes, or one of the container
     * ports the sandbox publishes (the same image exposes the same ports). A check of another service names neither.
     */
    boolean servesLive(String url) {
        int port = port(URI.create(url));
        return liveHostToContainer.containsKey(port) || sandboxHostPorts.containsKey(port);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    /** "8080->49153, ..." for messages. */
    String describe() {
        if (sandboxHostPorts.isEmpty()) {
            return "no published ports";
        }
        StringBuilder s = new StringBuilder();
        new TreeMap<>(sandboxHostPorts).forEach((c, h) -> s.append(s.isEmpty() ? "" : ", ").append(c).append("->")
                .append(h));
        return s.toString();
    }
}
