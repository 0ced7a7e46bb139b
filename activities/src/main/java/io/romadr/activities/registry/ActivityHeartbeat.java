package io.romadr.activities.registry;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * The heartbeat of the activity running on this thread, or a no-op when there is none (the activities called
 * directly, e.g. in tests or from a command-line tool). Temporal itself throttles what it sends to the server.
 */
final class ActivityHeartbeat {
    private ActivityHeartbeat() {}

    /** Must be called on the activity's own thread (where its context lives); {@code details} says what runs. */
    static Runnable current(String details) {
        ActivityExecutionContext ctx;
        try {
            ctx = Activity.getExecutionContext();
        } catch (IllegalStateException e) {
            return () -> { }; // not inside an activity
        }
        return () -> ctx.heartbeat(details);
    }
}
