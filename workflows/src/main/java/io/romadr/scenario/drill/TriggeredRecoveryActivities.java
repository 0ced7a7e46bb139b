package io.romadr.scenario.drill;

import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * An alerting drill's view of the recovery the monitoring starts (not the drill): found on the Temporal server under
 * the recovery's one workflow ID ({@code roma-dr-<scenario>-<plan>}) and followed to its end. Both calls only read the
 * server and heartbeat while they wait, so they can be repeated.
 */
@ActivityInterface
public interface TriggeredRecoveryActivities {
    /**
     * @param plan           the plan drilled
     * @param scenario       the recovery's scenario
     * @param sinceMillis    only a run started at or after this (the fault) counts
     * @param deadlineMillis when to stop waiting (epoch millis)
     */
    record AwaitTriggerRequest(String plan, String scenario, long sinceMillis, long deadlineMillis) {
    }

    /**
     * What started the recovery, from its first trigger notice (what every starter sends it).
     *
     * @param found         false: no run of the recovery started before the deadline (the other fields are empty,
     *                      but for {@code workflowId}, {@code runId} and {@code startedAt} of a run that started
     *                      before the fault and still runs: an alert attaches to it instead of starting one)
     * @param workflowId    the recovery's workflow ID
     * @param runId         its run
     * @param startedAt     its start time on the server (epoch millis)
     * @param source        what started it: {@code alertmanager}, {@code webhook}, {@code cli}, ...
     * @param reference     the alerts' fingerprints, a dedupe key
     * @param alertAt       when the source says the alert fired, as it wrote it (Alertmanager's {@code startsAt})
     * @param alertAtMillis {@code alertAt} in epoch millis; 0 when it is empty or unreadable
     * @param summary       the alert's name and summary, or the reason given
     */
    record TriggeredRecovery(boolean found, String workflowId, String runId, long startedAt, String source,
            String reference, String alertAt, long alertAtMillis, String summary) {

        public static TriggeredRecovery none() {
            return new TriggeredRecovery(false, "", "", 0, "", "", "", 0, "");
        }

        /** Nothing started after the fault, while a run that started before it still runs. */
        public static TriggeredRecovery earlierRunning(String workflowId, String runId, long startedAt) {
            return new TriggeredRecovery(false, workflowId, runId, startedAt, "", "", "", 0, "");
        }
    }

    /** The run to follow. */
    record AwaitReportRequest(String workflowId, String runId) {
    }

    /** Waits until a run of the recovery started after the fault and its first trigger is recorded. */
    @ActivityMethod(name = "AwaitTriggeredRecovery")
    TriggeredRecovery awaitTriggeredRecovery(AwaitTriggerRequest request);

    /** Waits for the Scenario 1 recovery's end: its report, also when it failed (the failure carries it). */
    @ActivityMethod(name = "AwaitServiceRecoveryReport")
    ServiceRecoveryReport awaitServiceRecoveryReport(AwaitReportRequest request);
}
