package io.romadr.scenario.security;

import java.util.List;

/**
 * One rotated credential: the version now current, whether an earlier attempt of the same rotation had already
 * written it ({@code alreadyRotated}), the names (never the values) of the keys given new values, and a note for the
 * report.
 */
public record RotationResult(RotationTarget target, String versionAfter, boolean alreadyRotated, List<String> keys,
        String note) {
    public RotationResult {
        keys = keys == null ? List.of() : List.copyOf(keys);
        note = note == null ? "" : note;
    }
}
