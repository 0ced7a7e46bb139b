package io.romadr.backup;

import java.util.List;

/**
 * One event that asks for a backup now: a push to the git primary (a forge's push webhook) or a tag pushed to the
 * primary registry (a registry notification). The worker host makes it from a verified request and signals it to
 * the plan's {@link BackupEventsWorkflow}.
 *
 * @param source     who sent it: {@code github}, {@code gitlab}, {@code gitea}, {@code forgejo}, {@code registry}
 * @param id         the sender's delivery or event id; a second event with the same id is a duplicate and ignored
 * @param occurredAt when it happened as the sender says (epoch ms), 0 when the sender does not say
 * @param receivedAt when the worker host received it (epoch ms)
 * @param images     registry events: the {@code repository:tag} pushed; empty for git
 * @param detail     one line for the report, e.g. {@code refs/heads/main 3f2a9c1} or {@code roma-builder:1.4.0}
 */
public record BackupEvent(String source, String id, long occurredAt, long receivedAt, List<String> images,
        String detail) {

    public BackupEvent {
        source = source == null ? "" : source;
        id = id == null ? "" : id;
        images = images == null ? List.of() : List.copyOf(images);
        detail = detail == null ? "" : detail;
    }

    /**
     * When the measured lag starts: the earlier of the sender's time and the receipt, so a sender's clock running
     * ahead cannot make the lag look shorter than it was.
     */
    public long eventAt() {
        return occurredAt > 0 ? Math.min(occurredAt, receivedAt) : receivedAt;
    }
}
