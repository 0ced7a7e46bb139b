package io.romadr.scenario.drill;

import java.util.List;
import java.util.Map;

/**
 * The target's state before the drill.
 *
 * @param lines        what exists, one line each ("container roma-roma-1 (roma): running, image sha256:...")
 * @param imageDigests compose service to the image id its container runs (what {@code verifyRecovered} compares)
 * @param fingerprints what else the scenario's verification compares after the recovery, by name: an artifact's
 *                     SHA-256 ("artifact:run-1.json"), a git ref's commit ("git:origin:refs/heads/main"), ...
 */
public record DrillState(List<String> lines, Map<String, String> imageDigests, Map<String, String> fingerprints) {
    public DrillState {
        lines = lines == null ? List.of() : List.copyOf(lines);
        imageDigests = imageDigests == null ? Map.of() : Map.copyOf(imageDigests);
        fingerprints = fingerprints == null ? Map.of() : Map.copyOf(fingerprints);
    }

    public DrillState(List<String> lines, Map<String, String> imageDigests) {
        this(lines, imageDigests, Map.of());
    }
}
