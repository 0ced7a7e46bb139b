package io.romadr.worker.host;

import io.romadr.backup.BackupEvent;
import io.romadr.backup.BackupEventsRequest;
import io.romadr.backup.BackupEventsWorkflow;
import io.romadr.temporal.TaskQueues;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.List;

/**
 * The webhooks' side of {@link BackupEventsWorkflow}: a verified backup event is signalled to the plan's events
 * workflow of its kind, which is started when none runs (signal-with-start), on the backups task queue. So a burst
 * of events becomes one backup run plus one follow-up, whichever host received them.
 */
final class BackupEventTriggers {
    static final int ALREADY_STARTED_ATTEMPTS = 3;
    private final TemporalWorkerManaged temporal;
    private final RomaMetrics metrics;

    BackupEventTriggers(TemporalWorkerManaged temporal, RomaMetrics metrics) {
        this.temporal = temporal;
        this.metrics = metrics;
    }

    /** Signals {@code event} to the events workflow of {@code kind} ({@code git}, {@code images}); returns its id. */
    String signal(String plan, String kind, BackupEvent event) {
        String workflowId = BackupEventsWorkflow.workflowId(kind, plan);
        WorkflowStub stub = temporal.client().newUntypedWorkflowStub(BackupEventsWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId)
                        .setTaskQueue(TaskQueues.backups(temporal.taskQueue())).build());
        for (int attempt = 1;; attempt++) {
            try {
                stub.signalWithStart("event", new Object[]{event},
                        new Object[]{new BackupEventsRequest(plan, kind, List.of(), 0)});
                break;
            } catch (WorkflowExecutionAlreadyStarted e) {
                // Two signal-with-starts of a burst raced to create the chain: it exists now, so the next one
                // signals it. (Seen on the dev server under a 50-push burst.)
                if (attempt >= ALREADY_STARTED_ATTEMPTS) {
                    throw e;
                }
            }
        }
        metrics.backupEvent(plan, kind, event.source(), "signalled");
        return workflowId;
    }
}
