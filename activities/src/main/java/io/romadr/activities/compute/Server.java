package io.romadr.activities.compute;

import java.util.Map;

/**
 * A provisioned server: its provider's id (EC2 instance id, container id), its state in the provider's words, the
 * address other systems reach it at (private IP for EC2, the container's IP on the Docker host) and its tags/labels.
 */
public record Server(String id, String provider, String state, String address, Map<String, String> tags) {
    public Server {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public boolean isRunning() {
        return "running".equals(state);
    }
}
