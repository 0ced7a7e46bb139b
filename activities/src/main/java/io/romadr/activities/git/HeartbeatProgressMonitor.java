package io.romadr.activities.git;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * JGit progress as activity heartbeats ("remote: Receiving objects 1200/5000"), at most one a second. Outside an
 * activity (unit tests, the benchmark) it does nothing. A heartbeat that throws (the activity was cancelled or timed
 * out) propagates out of JGit's fetch or push and stops it.
 */
final class HeartbeatProgressMonitor implements ProgressMonitor {
    private static final long INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final ActivityExecutionContext ctx;
    private final String prefix;
    private long lastBeat = System.nanoTime() - INTERVAL_NANOS;
    private String task = "";
    private int total;
    private int done;

    private HeartbeatProgressMonitor(ActivityExecutionContext ctx, String prefix) {
        this.ctx = ctx;
        this.prefix = prefix;
    }

    /** A monitor that heartbeats when called inside an activity, and does nothing otherwise. */
    static HeartbeatProgressMonitor forCurrentActivity(String prefix) {
        ActivityExecutionContext ctx;
        try {
            ctx = Activity.getExecutionContext();
        } catch (IllegalStateException notInActivity) {
            ctx = null;
        }
        return new HeartbeatProgressMonitor(ctx, prefix);
    }

    @Override
    public void start(int totalTasks) {
        beat(false);
    }

    @Override
    public void beginTask(String title, int totalWork) {
        task = title;
        total = totalWork;
        done = 0;
        beat(false);
    }

    @Override
    public void update(int completed) {
        done += completed;
        beat(false);
    }

    @Override
    public void endTask() {
        beat(false);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void showDuration(boolean enabled) {
        // Durations are for terminals; heartbeats carry counts only.
    }

    /** Heartbeats now, regardless of the throttle (between the steps of an activity). */
    void beatNow(String step) {
        task = step;
        total = 0;
        done = 0;
        beat(true);
    }

    private void beat(boolean force) {
        if (ctx == null) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastBeat < INTERVAL_NANOS) {
            return;
        }
        lastBeat = now;
        ctx.heartbeat(prefix + ": " + task + (total > 0 ? " " + done + "/" + total : ""));
    }
}
