package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Turns backup events of one plan and kind into backup runs without a queue: the first event starts a run of the
 * kind's backup workflow ({@link GitMirrorWorkflow}, {@link ImageMirrorWorkflow}) at once; events that arrive while
 * it runs are merged into exactly one follow-up run, started when it ends. When nothing is pending the workflow
 * ends; the next event starts it again. After a successful run each covered event's lag (event to backup committed)
 * is recorded in the plan's backup store ({@link BackupLagActivities}).
 *
 * <p>Started with signal-with-start by the worker host's webhooks, workflow id {@link #workflowId}, on the backups
 * task queue. The scheduled backup of the kind stays as the safety net.
 */
@WorkflowInterface
public interface BackupEventsWorkflow {
    String TYPE = "BackupEventsWorkflow";

    @WorkflowMethod
    BackupEventsReport coalesce(BackupEventsRequest request);

    /** One more event; a duplicate id (a sender's retry) is counted and ignored. */
    @SignalMethod
    void event(BackupEvent event);

    @QueryMethod
    BackupEventsReport progress();

    /** {@code backup-events-<kind>-<plan>}: one chain per plan and kind, so events of a burst meet in one place. */
    static String workflowId(String kind, String plan) {
        return "backup-events-" + kind + "-" + plan;
    }
}
