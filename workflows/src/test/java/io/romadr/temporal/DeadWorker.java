package io.romadr.temporal;

import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.mockito.stubbing.Answer;

/**
 * An activity fake that behaves like a worker that dies inside the activity: its first {@code deaths} attempts hang
 * past the activity's timeout without a heartbeat (the server times them out exactly as it does a killed worker's),
 * after which it answers with what {@code answer} makes of the real attempt number.
 */
public final class DeadWorker {
    private final int deaths;
    private final Duration hang;
    private final AtomicInteger calls = new AtomicInteger();

    private DeadWorker(int deaths, Duration hang) {
        this.deaths = deaths;
        this.hang = hang;
    }

    /** Dies {@code deaths} times, each time hanging {@code hang} (longer than the timeout that notices it). */
    public static DeadWorker dies(int deaths, Duration hang) {
        return new DeadWorker(deaths, hang);
    }

    /** Answers with {@code answer.apply(attempt)} once the deaths are spent. */
    public <T> Answer<T> then(IntFunction<T> answer) {
        return inv -> {
            if (calls.incrementAndGet() <= deaths) {
                Thread.sleep(hang.toMillis());
                return null; // too late: the server has timed this attempt out
            }
            return answer.apply(Activity.getExecutionContext().getInfo().getAttempt());
        };
    }

    /** Invocations of the fake, deaths included. */
    public int calls() {
        return calls.get();
    }

    /**
     * How often the history recorded a local activity of this type (its marker): once per call of a step that runs in
     * the workflow task, whatever its attempts.
     */
    public static int recorded(WorkflowExecutionHistory history, String activityType) {
        return (int) history.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .filter(e -> e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))
                .filter(e -> {
                    var type = e.getMarkerRecordedEventAttributes().getDetailsMap().get("type");
                    return type != null && type.getPayloadsCount() > 0
                            && type.getPayloads(0).getData().toStringUtf8().equals("\"" + activityType + "\"");
                })
                .count();
    }

    /** How often the history scheduled an activity type: once per call of a step by the workflow. */
    public static int scheduled(WorkflowExecutionHistory history, String activityType) {
        return (int) history.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                        .equals(activityType))
                .count();
    }
}
