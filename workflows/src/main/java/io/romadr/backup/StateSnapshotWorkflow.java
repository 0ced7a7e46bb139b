package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed backup kind 4 (hourly): a tar.gz snapshot of the plan's execution state, streamed out of the running
 * container into the object store, then read back and verified. Start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface StateSnapshotWorkflow {
    String TYPE = "StateSnapshotWorkflow";

    @WorkflowMethod
    BackupReport snapshot(BackupRequest request);

    @QueryMethod
    BackupReport progress();
}
