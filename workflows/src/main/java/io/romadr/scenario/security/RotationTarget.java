package io.romadr.scenario.security;

/**
 * One credential to rotate, as found before the rotation: {@code name} is the KV path, the secret's name or the
 * command's name; {@code versionBefore} the version current when the incident's inventory read it (empty for a
 * command). Never a value.
 */
public record RotationTarget(RotationKind kind, String name, String versionBefore) {
    public RotationTarget {
        versionBefore = versionBefore == null ? "" : versionBefore;
    }
}
