package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The plan's {@code backup:} section: where backups go and what each kind covers. A kind left out is simply not
 * backed up (its workflow fails with a clear "the plan has no backup.X section").
 */
public record BackupSpec(
        @JsonProperty(required = true) BackupStore store,
        StateBackupSpec state,
        ArtifactBackupSpec artifacts,
        SecretsBackupSpec secrets,
        RetentionSpec retention,
        BackupScheduleSpec schedule,
        VerificationSpec verification,
        GitBackupSpec git,
        ImageBackupSpec images,
        ReplicaSpec replica,
        LogBackupSpec logs) {

    public BackupSpec {
        InvalidFieldException.require(store != null, "store", "is required");
        retention = retention == null ? RetentionSpec.SEED : retention;
        schedule = schedule == null ? BackupScheduleSpec.SEED : schedule;
        verification = verification == null ? VerificationSpec.SEED : verification;
    }

    /** Where secrets exports are written, listed, verified, restored and pruned: their own store, else the main one. */
    @JsonIgnore
    public BackupStore secretsStore() {
        return secrets != null && secrets.store() != null ? secrets.store() : store;
    }

    /** Without a replica in another region (tests and fixtures written before {@code replica:}). */
    public BackupSpec(BackupStore store, StateBackupSpec state, ArtifactBackupSpec artifacts,
            SecretsBackupSpec secrets, RetentionSpec retention, BackupScheduleSpec schedule,
            VerificationSpec verification, GitBackupSpec git, ImageBackupSpec images) {
        this(store, state, artifacts, secrets, retention, schedule, verification, git, images, null, null);
    }

    /** Without production log shipping ({@code logs:}). */
    public BackupSpec(BackupStore store, StateBackupSpec state, ArtifactBackupSpec artifacts,
            SecretsBackupSpec secrets, RetentionSpec retention, BackupScheduleSpec schedule,
            VerificationSpec verification, GitBackupSpec git, ImageBackupSpec images, ReplicaSpec replica) {
        this(store, state, artifacts, secrets, retention, schedule, verification, git, images, replica, null);
    }
}
