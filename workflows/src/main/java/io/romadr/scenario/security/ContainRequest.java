package io.romadr.scenario.security;

import java.time.Duration;
import java.util.List;

/**
 * Contain {@code containers} by {@code mode} ({@code stop}, or {@code disconnect} from the networks the assessment
 * recorded). Idempotent: a stopped container or a network already cut is left as it is and said so.
 */
public record ContainRequest(String mode, List<IncidentContainer> containers, Duration stopTimeout) {
    public ContainRequest {
        containers = List.copyOf(containers);
    }
}
