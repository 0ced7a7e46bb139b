package io.romadr.scenario.drill;

import java.util.List;
import java.util.Map;

/**
 * The target's state before the drill.
 *
 * @param lines        what exists, one line each ("container roma-roma-1 (roma): running, image sha256:...")
 * @param imageDigests compose service to the image id its container runs (what {@code verifyRecovered} compares)
 */
public record DrillState(List<String> lines, Map<String, String> imageDigests) {
    public DrillState {
        lines = lines == null ? List.of() : List.copyOf(lines);
        imageDigests = imageDigests == null ? Map.of() : Map.copyOf(imageDigests);
    }
}
