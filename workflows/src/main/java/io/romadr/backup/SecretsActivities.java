package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Secrets export and restore; only object keys and secret names ever cross into workflow history. */
@ActivityInterface
public interface SecretsActivities {
    @ActivityMethod
    BackupManifest exportSecrets(SecretsExportRequest request);

    @ActivityMethod
    SecretsRestoreResult restoreSecrets(SecretsRestoreRequest request);
}
