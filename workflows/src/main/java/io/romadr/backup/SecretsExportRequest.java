package io.romadr.backup;

import io.romadr.plan.BackupStore;
import io.romadr.plan.SecretsBackupSpec;

/**
 * Read every secret the spec names, serialise, encrypt to the spec's recipients and store at {@code objectKey} with
 * its manifest. The plaintext exists only inside the activity's memory.
 */
public record SecretsExportRequest(String plan, BackupStore store, SecretsBackupSpec spec, String objectKey,
        long createdAt, String workflowId) {
}
