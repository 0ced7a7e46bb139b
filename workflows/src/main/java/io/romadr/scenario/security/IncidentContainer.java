package io.romadr.scenario.security;

import java.util.List;

/**
 * One affected container as the assess step found it: its image as configured, the image id it runs and that image's
 * repository digests, and the networks it is connected to (what {@code disconnect} cuts).
 */
public record IncidentContainer(String service, String containerId, String name, String state, String image,
        String imageId, List<String> repoDigests, List<String> networks) {
    public IncidentContainer {
        repoDigests = repoDigests == null ? List.of() : List.copyOf(repoDigests);
        networks = networks == null ? List.of() : List.copyOf(networks);
    }
}
