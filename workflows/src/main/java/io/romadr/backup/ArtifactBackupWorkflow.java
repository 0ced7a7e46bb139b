package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed artifacts (daily): the plan's artifact files (e.g. {@code out/*.json}) as a tar.gz with a per-file SHA-256
 * manifest, read back and verified. Start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface ArtifactBackupWorkflow {
    String TYPE = "ArtifactBackupWorkflow";

    @WorkflowMethod
    BackupReport backup(BackupRequest request);

    @QueryMethod
    BackupReport progress();
}
