package io.romadr.activities.heartbeat;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;

/**
 * Where long work reports progress: the activity heartbeats it (and throws when the activity is cancelled or timed
 * out); outside Temporal (tests, a command-line tool) it is {@link #NONE}. Called often: Temporal throttles what it
 * sends, a {@link HeartbeatTicker} sends from its own thread.
 */
@FunctionalInterface
public interface Heartbeat {
    Heartbeat NONE = details -> {
    };

    void beat(Object details);

    /** This heartbeat with fixed {@code details}, for code that only says "still working". */
    default Runnable with(Object details) {
        return () -> beat(details);
    }

    /** The heartbeat of the activity running on this thread (call it there), or {@link #NONE} when there is none. */
    static Heartbeat ofCurrentActivity() {
        ActivityExecutionContext ctx = currentContext();
        return ctx == null ? NONE : ctx::heartbeat;
    }

    /** The context of the activity running on this thread, or null when called directly. */
    static ActivityExecutionContext currentContext() {
        try {
            return Activity.getExecutionContext();
        } catch (IllegalStateException e) {
            return null; // not inside an activity
        }
    }
}
