package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Restores one backup kind of a plan: choose the backup (named, or the newest that verifies), verify it before
 * anything is written, restore, and for state and artifacts wait until the service is healthy again.
 */
@WorkflowInterface
public interface BackupRestoreWorkflow {
    String TYPE = "BackupRestoreWorkflow";

    @WorkflowMethod
    RestoreReport restore(RestoreBackupRequest request);

    @QueryMethod
    RestoreReport progress();
}
