package io.romadr.activities.backup;

import io.temporal.activity.ActivityExecutionContext;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Heartbeats the latest details about every second from its own thread, so an activity stays alive while a read
 * or write blocks (a slow engine, a slow store). When a heartbeat throws (the activity was cancelled or timed
 * out), the next {@link #beat} on the working thread throws the same exception, which stops the work.
 */
public final class HeartbeatTicker implements Heartbeat, AutoCloseable {
    static final long INTERVAL_MILLIS = 1000;

    private final ActivityExecutionContext ctx;
    private final AtomicReference<Object> latest;
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    public HeartbeatTicker(ActivityExecutionContext ctx, Object initial) {
        this.ctx = ctx;
        this.latest = new AtomicReference<>(initial);
        this.thread = new Thread(this::run, "backup-heartbeat");
        this.thread.setDaemon(true);
        this.thread.start();
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
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
