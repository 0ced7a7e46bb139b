package io.romadr.plan;

import java.util.List;

/**
 * Scenario 2, data corruption: {@code producer} is the compose service that writes the artifacts (stopped while they
 * are repaired; default: the artifacts' service); {@code schema} a JSON Schema file (relative to the plans
 * directory) every artifact must satisfy besides being well-formed JSON; {@code restore} is {@code corrupted} (only
 * the broken files, the default) or {@code all}; corruption of more than {@code widespreadAbove} of the files (default
 * 0.5) is "widespread" in the report; {@code regenerate} are the commands (run on the worker host) that rebuild the
 * artifacts when no clean backup exists, e.g. the pipeline.
 */
public record ArtifactRecoverySpec(String producer, String schema, String restore, Double widespreadAbove,
        List<CommandStep> regenerate) {

    public static final ArtifactRecoverySpec DEFAULTS = new ArtifactRecoverySpec(null, null, null, null, null);

    public ArtifactRecoverySpec {
        restore = restore == null || restore.isBlank() ? "corrupted" : restore;
        InvalidFieldException.require(restore.equals("corrupted") || restore.equals("all"), "restore",
                "must be corrupted or all, got \"" + restore + "\"");
        widespreadAbove = widespreadAbove == null ? 0.5 : widespreadAbove;
        InvalidFieldException.require(widespreadAbove > 0 && widespreadAbove < 1, "widespreadAbove",
                "must be a fraction between 0 and 1, e.g. 0.5");
        InvalidFieldException.require(schema == null || !schema.isBlank(), "schema", "must name a file");
        regenerate = regenerate == null ? List.of() : List.copyOf(regenerate);
    }
}
