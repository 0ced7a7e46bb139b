package io.romadr.activities.docker;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking engine calls made from an activity: the call runs on a helper thread while the activity thread
 * heartbeats about every second, so a slow engine does not look like a dead worker.
 */
final class EngineCalls {
    /**
     * Acting calls at the engine at once: what the worker's engine client allowed in all before reads got
     * connections of their own ({@link DockerClients#MAX_CONNECTIONS}). More at once only makes the engine start
     * hundreds of containers side by side and take the CPUs from everything else on its host (docs/benchmarks.md
     * section 9: with 256 at once, 326 of 500 recoveries lost their restart's heartbeats). Reads (assess, checks,
     * verify) are not counted: they are short and must not wait behind restarts.
     */
    static final int ACTING_AT_ONCE = 32;
    private final ExecutorService pool;
    private final Semaphore acting = new Semaphore(ACTING_AT_ONCE, true);

    EngineCalls() {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "docker-activity-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs a blocking call that acts on the engine (restart, start, create, rename) on a helper thread and heartbeats
     * from the activity thread about every second until it returns. At most {@link #ACTING_AT_ONCE} such calls of
     * this worker are at the engine at once; the others wait for their turn on their helper thread, their activity
     * still heartbeating. A cancelled or timed-out activity (the heartbeat throws) interrupts the call or the wait.
     */
    <T> T blocking(ActivityExecutionContext ctx, Object details, Callable<T> call) {
        return await(ctx, details, submit(() -> {
            acting.acquire();
            try {
                return call.call();
            } finally {
                acting.release();
            }
        }));
    }

    /** Starts a call on a helper thread; {@link #await} waits for it while heartbeating. */
    <T> Future<T> submit(Callable<T> call) {
        return pool.submit(call);
    }

    static <T> T await(ActivityExecutionContext ctx, Object details, Future<T> future) {
        try {
            while (true) {
                try {
                    return future.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    ctx.heartbeat(details);
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailure("interrupted", "Interrupted");
        } catch (CancellationException e) {
            throw ApplicationFailure.newFailure("cancelled", "Cancelled");
        } catch (RuntimeException | Error e) {
            future.cancel(true);
            throw e;
        }
    }

    /** The attempt number of the running activity (1 for the first; a bare test context may say 0). */
    static int attempt(ActivityExecutionContext ctx) {
        return Math.max(1, ctx.getInfo().getAttempt());
    }

    /** Whole seconds, clamped to what the engine's int timeouts take. */
    static int seconds(Duration d) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, d.toSeconds()));
    }
}
