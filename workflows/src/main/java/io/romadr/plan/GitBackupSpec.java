package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Seed backup kind 1, "multiple git remotes": every branch and tag of {@code primary} is mirrored to each of
 * {@code backups}. A ref that would move a backup's history backwards or sideways (force update) is refused unless
 * {@code allowForceUpdate} is true, so a force-pushed or wiped primary cannot destroy the backups. {@code recovery}
 * configures Scenario 4 (restoring the primary from these remotes).
 */
public record GitBackupSpec(
        @JsonProperty(required = true) GitRemote primary,
        @JsonProperty(required = true) List<GitRemote> backups,
        Boolean allowForceUpdate,
        GitRecoverySpec recovery) {

    public GitBackupSpec {
        InvalidFieldException.require(primary != null, "primary", "is required");
        InvalidFieldException.require(backups != null && !backups.isEmpty(), "backups",
                "must list at least one backup remote");
        backups = List.copyOf(backups);
        Set<String> names = new HashSet<>();
        names.add(primary.name());
        for (GitRemote b : backups) {
            InvalidFieldException.require(names.add(b.name()), "backups",
                    "remote name \"" + b.name() + "\" is used twice");
        }
        allowForceUpdate = allowForceUpdate != null && allowForceUpdate;
        recovery = recovery == null ? GitRecoverySpec.DEFAULTS : recovery;
    }
}
