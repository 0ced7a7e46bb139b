package io.romadr.backup;

/**
 * One measured recovery point: the event (a push, a tag pushed, a secret changed; for scheduled kinds the previous
 * backup) at {@code eventAt} was in a committed backup at {@code committedAt} (epoch ms). {@code eventId} with
 * {@code workflowId} makes a sample unique, so recording is idempotent.
 */
public record LagSample(String eventId, String source, long eventAt, long committedAt, String workflowId) {

    public LagSample {
        eventId = eventId == null ? "" : eventId;
        source = source == null ? "" : source;
        workflowId = workflowId == null ? "" : workflowId;
    }

    public long lagMillis() {
        return Math.max(0, committedAt - eventAt);
    }

    /** What makes a sample unique. */
    public String key() {
        return workflowId + "/" + eventId;
    }
}
