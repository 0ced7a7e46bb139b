package io.romadr.worker;

import io.romadr.activities.poll.Deadline;
import io.romadr.report.IncidentTimes;
import io.romadr.report.RunFailure;
import io.romadr.report.TriggerNotice;
import io.romadr.runtime.TriggerSignal;
import io.romadr.scenario.drill.TriggeredRecoveryActivities;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.temporal.RecoveryStarter;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds and follows the recovery an alert started, for an alerting drill: the run of the recovery's one workflow ID
 * ({@link RecoveryStarter#workflowId}) started after the fault, and what started it, read from its first
 * {@value TriggerSignal#NAME} signal in its history (every starter sends one). Only reads the server.
 */
final class TriggeredRecoveries implements TriggeredRecoveryActivities {
    static final Duration POLL = Duration.ofSeconds(1);
    /** How long one wait for the recovery's result lasts between two heartbeats. */
    static final Duration RESULT_WAIT = Duration.ofSeconds(10);

    private final WorkflowClient client;

    TriggeredRecoveries(WorkflowClient client) {
        this.client = client;
    }

    @Override
    public TriggeredRecovery awaitTriggeredRecovery(AwaitTriggerRequest request) {
        String id = RecoveryStarter.workflowId(request.scenario(), request.plan());
        Deadline deadline = Deadline.after(Duration.ofMillis(Math.max(0,
                request.deadlineMillis() - System.currentTimeMillis())));
        while (true) {
            Activity.getExecutionContext().heartbeat(null);
            WorkflowExecutionMetadata run = latestRun(id);
            if (run != null && run.getStartTime().toEpochMilli() >= request.sinceMillis()) {
                TriggerNotice first = firstTrigger(id, run.getExecution().getRunId());
                // The starter signals right after the start: a run without its notice yet gets it in a moment.
                if (first != null || deadline.passed()) {
                    return found(run, first == null
                            ? new TriggerNotice("unknown", "", "", "", "", "")
                            : first);
                }
            }
            if (deadline.passed()) {
                return run != null && run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                        ? TriggeredRecovery.earlierRunning(id, run.getExecution().getRunId(),
                                run.getStartTime().toEpochMilli())
                        : TriggeredRecovery.none();
            }
            pause(deadline.next(POLL));
        }
    }

    @Override
    public ServiceRecoveryReport awaitServiceRecoveryReport(AwaitReportRequest request) {
        WorkflowStub run = client.newUntypedWorkflowStub(request.workflowId(), Optional.of(request.runId()),
                Optional.empty());
        while (true) {
            Activity.getExecutionContext().heartbeat(null);
            try {
                return run.getResult(RESULT_WAIT.toMillis(), TimeUnit.MILLISECONDS, ServiceRecoveryReport.class);
            } catch (TimeoutException stillRunning) {
                // heartbeat and wait on
            } catch (WorkflowFailedException e) {
                ServiceRecoveryReport report = RunFailure.reportOf(e, ServiceRecoveryReport.class);
                if (report != null) {
                    return report;
                }
                throw ApplicationFailure.newNonRetryableFailure("recovery " + request.workflowId() + " ended ("
                        + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
                        + ") without a report", "RecoveryWithoutReport");
            }
        }
    }

    private WorkflowExecutionMetadata latestRun(String id) {
        try {
            return client.newUntypedWorkflowStub(id).describe();
        } catch (WorkflowNotFoundException notYet) {
            return null;
        }
    }

    private TriggerNotice firstTrigger(String id, String runId) {
        return client.streamHistory(id, runId)
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
                .filter(s -> s.getSignalName().equals(TriggerSignal.NAME))
                .findFirst()
                .map(this::notice)
                .orElse(null);
    }

    private TriggerNotice notice(WorkflowExecutionSignaledEventAttributes signal) {
        return client.getOptions().getDataConverter().fromPayloads(0, Optional.of(signal.getInput()),
                TriggerNotice.class, TriggerNotice.class);
    }

    private static TriggeredRecovery found(WorkflowExecutionMetadata run, TriggerNotice first) {
        return new TriggeredRecovery(true, run.getExecution().getWorkflowId(), run.getExecution().getRunId(),
                run.getStartTime().toEpochMilli(), text(first.source()), text(first.reference()), text(first.at()),
                millis(first.at()), text(first.summary()));
    }

    /** An RFC 3339 time (Alertmanager's {@code startsAt}) in epoch millis; 0 when there is none or it is unreadable. */
    static long millis(String at) {
        Long parsed = IncidentTimes.parse(at);
        return parsed == null ? 0 : parsed;
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static void pause(Duration interval) {
        try {
            Deadline.pause(interval);
        } catch (InterruptedIOException e) {
            throw Activity.wrap(e);
        }
    }
}
