package io.romadr.scenario.security;

import io.romadr.plan.CommandStep;
import io.romadr.plan.SecretsBackupSpec;
import java.util.List;

/**
 * Rotate one {@code target} once for the rotation {@code rotationId} (the incident's workflow id): called again with
 * the same id (a retry, a worker killed mid-rotation) it finds the rotation done and writes nothing. {@code secrets}
 * and {@code commands} are where the target is defined (as in the inventory request).
 */
public record RotationRequest(String plan, String rotationId, RotationTarget target, SecretsBackupSpec secrets,
        List<CommandStep> commands) {
    public RotationRequest {
        commands = commands == null ? List.of() : List.copyOf(commands);
    }
}
