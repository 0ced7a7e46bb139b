package io.romadr.scenario.siteloss;

import java.util.List;
import java.util.Map;

/**
 * {@code resolved}: template image -> the reference the server now has; {@code registry}: "primary", "backup" or
 * "as named"; {@code notes}: why the primary was passed over, digests.
 */
public record ImagePullResult(Map<String, String> resolved, String registry, List<String> notes) {
    public ImagePullResult {
        resolved = Map.copyOf(resolved);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}
