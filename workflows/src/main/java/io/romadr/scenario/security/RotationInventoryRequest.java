package io.romadr.scenario.security;

import io.romadr.plan.CommandStep;
import io.romadr.plan.SecretsBackupSpec;
import java.util.List;

/**
 * What to rotate for {@code plan}: every Vault path and Secrets Manager secret of {@code secrets} (the plan's
 * secrets backup, which names the service's credentials) and the plan's rotation {@code commands}; either may be
 * empty.
 */
public record RotationInventoryRequest(String plan, SecretsBackupSpec secrets, List<CommandStep> commands) {
    public RotationInventoryRequest {
        commands = commands == null ? List.of() : List.copyOf(commands);
    }
}
