package io.romadr.backup;

import io.romadr.runtime.PlanInput;
import java.util.List;

/**
 * Input of {@link BackupEventsWorkflow}: the plan, which backup its events ask for ({@code git}, the default, or
 * {@code images}),
 * the events not yet backed up (the first event when a webhook starts it; what was pending when the workflow
 * continued as new) and how many backup runs earlier executions of this chain made.
 */
public record BackupEventsRequest(String plan, String kind, List<BackupEvent> pending, int runsBefore)
        implements
            PlanInput {
    public static final List<String> KINDS = List.of("git", "images");

    public BackupEventsRequest {
        kind = kind == null || kind.isBlank() ? "git" : kind;
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + KINDS + ", got \"" + kind + "\"");
        }
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    @Override
    public String requestedBy() {
        return "events";
    }
}
