package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Production logs (seed: P1): for each service of the plan's {@code backup.logs}, ships the container log lines
 * since the newest shipped object's end (so a run after a crash resumes exactly there) up to this run's cut-off (its
 * start minus {@link LogShippingWorkflowImpl#SAFETY_MARGIN}) into one object of the backup store, records the lag
 * (kind {@code logs}), then deletes objects past the plan's retention. Scheduled every {@code backup.schedule.logs};
 * start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface LogShippingWorkflow {
    String TYPE = "LogShippingWorkflow";

    @WorkflowMethod
    LogShippingReport ship(BackupRequest request);

    @QueryMethod
    LogShippingReport progress();
}
