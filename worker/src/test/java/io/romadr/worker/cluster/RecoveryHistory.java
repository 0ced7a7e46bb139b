package io.romadr.worker.cluster;

import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one recovery's history on the server says about who did its work: when it started and completed, and every
 * completed task (workflow task or activity) with the identity of the worker that completed it. Identities are the
 * SDK's {@code pid@host}; the history is the server's record, so it survives a worker's death and a server restart.
 */
record RecoveryHistory(String workflowId, Instant started, Instant completed, List<Task> tasks) {

    /**
     * @param type     the activity type, or {@link #WORKFLOW_TASK}
     * @param identity the worker that completed it
     * @param attempt  the attempt that completed it (1 for workflow tasks)
     * @param at       when the server recorded the completion
     */
    record Task(String type, String identity, int attempt, Instant at) {
    }

    static final String WORKFLOW_TASK = "workflow task";

    static RecoveryHistory of(String workflowId, WorkflowExecutionHistory history) {
        Map<Long, String> activityTypes = new HashMap<>();
        Map<Long, Integer> attempts = new HashMap<>();
        Instant started = null;
        Instant completed = null;
        List<Task> tasks = new ArrayList<>();
        for (HistoryEvent e : history.getEvents()) {
            Instant at = instant(e.getEventTime());
            if (e.hasWorkflowExecutionStartedEventAttributes()) {
                started = at;
            } else if (e.hasWorkflowExecutionCompletedEventAttributes()) {
                completed = at;
            } else if (e.hasActivityTaskScheduledEventAttributes()) {
                activityTypes.put(e.getEventId(),
                        e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
            } else if (e.hasActivityTaskStartedEventAttributes()) {
                attempts.put(e.getEventId(), e.getActivityTaskStartedEventAttributes().getAttempt());
            } else if (e.hasActivityTaskCompletedEventAttributes()) {
                var c = e.getActivityTaskCompletedEventAttributes();
                tasks.add(new Task(activityTypes.get(c.getScheduledEventId()), c.getIdentity(),
                        attempts.getOrDefault(c.getStartedEventId(), 0), at));
            } else if (e.hasWorkflowTaskCompletedEventAttributes()) {
                tasks.add(new Task(WORKFLOW_TASK, e.getWorkflowTaskCompletedEventAttributes().getIdentity(), 1, at));
            }
        }
        return new RecoveryHistory(workflowId, started, completed, List.copyOf(tasks));
    }

    /** The completed attempt of {@code activityType} (the last, if the workflow called it more than once). */
    Task completedActivity(String activityType) {
        Task last = null;
        for (Task t : tasks) {
            if (activityType.equals(t.type())) {
                last = t;
            }
        }
        if (last == null) {
            throw new AssertionError("no completed " + activityType + " in the history of " + workflowId + ": "
                    + tasks);
        }
        return last;
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}
