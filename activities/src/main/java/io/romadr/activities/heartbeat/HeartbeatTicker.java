package io.romadr.activities.heartbeat;

import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeats the latest details about every second from its own thread, so an activity stays alive while a read
 * or write blocks (a slow engine, a slow store). When a heartbeat throws (the activity was cancelled or timed
 * out), the next {@link #beat} on the working thread throws the same exception, which stops the work. Outside an
 * activity it does nothing.
 */
public final class HeartbeatTicker implements Heartbeat, AutoCloseable {
    static final long INTERVAL_MILLIS = 1000;

    private final ActivityExecutionContext ctx;
    private final AtomicReference<Object> latest;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    /** {@code ctx} null (no activity) makes a ticker that only keeps the latest details. */
    public HeartbeatTicker(ActivityExecutionContext ctx, Object initial) {
        this.ctx = ctx;
        this.latest = new AtomicReference<>(initial);
        this.thread = ctx == null ? null : new Thread(this::run, "activity-heartbeat");
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** A ticker for the activity running on this thread (call it there), starting with no details. */
    public static HeartbeatTicker forCurrentActivity() {
        return new HeartbeatTicker(Heartbeat.currentContext(), null);
    }

    private void run() {
        try {
            do {
                ctx.heartbeat(latest.get());
            } while (!stopped.await(INTERVAL_MILLIS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    @Override
    public void beat(Object details) {
        latest.set(details);
        RuntimeException f = failure.get();
        if (f != null) {
            throw f;
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        if (thread == null) {
            return;
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
