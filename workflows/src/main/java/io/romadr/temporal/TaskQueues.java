package io.romadr.temporal;

/** Task queue names. Production runs one queue per site, so the worker that recovers a site lives outside it. */
public final class TaskQueues {
    public static final String DEFAULT = "roma-dr";

    private TaskQueues() {
    }
}
