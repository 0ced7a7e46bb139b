package io.romadr.activities.docker;

import io.romadr.activities.poll.Deadline;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch windows of every recovery on this worker, carried by one small scheduler instead of an activity slot and
 * a sleeping thread each. The watch activity registers its window here and returns without completing
 * ({@code doNotCompleteOnReturn}, which frees its slot); the scheduler runs a round of the checks every
 * {@code pollInterval}, heartbeats the {@link DockerServiceActivities.WatchProgress} through an
 * {@link ActivityCompletionClient} (so a dead worker's watch times out and resumes elsewhere, as before) and completes
 * the activity with the same {@link HealthResult} the synchronous watch returned: healthy at the window's end,
 * unhealthy at the first failed round. A cancelled activity (its heartbeat says so) stops its watch.
 */
final class WatchScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(WatchScheduler.class);
    /** Heartbeat cadence when the activity has no heartbeat timeout (the SDK's own default throttle). */
    private static final Duration NO_TIMEOUT_CADENCE = Duration.ofSeconds(30);
    private static final int SERVER_CALL_THREADS = 4;

    /** One registered window: the activity's task token and where its first attempt's window stands. */
    record Watch(byte[] taskToken, ActivityCompletionClient client, HealthRequest request,
            DockerServiceActivities.WatchProgress progress, int attempt, Duration heartbeatTimeout) {
    }

    private final Function<HealthRequest, List<CheckResult>> rounds;
    /** Only schedules; never blocks. */
    private final ScheduledExecutorService timer;
    /** Heartbeats and completions: short blocking calls to the server. */
    private final ExecutorService serverCalls;
    /** Rounds of checks: a thread only while a round runs (a check may block up to its timeout). */
    private final ExecutorService probes;
    private final AtomicInteger active = new AtomicInteger();

    WatchScheduler(Function<HealthRequest, List<CheckResult>> rounds) {
        this.rounds = rounds;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("watch-timer", new AtomicInteger()));
        this.serverCalls = Executors.newFixedThreadPool(SERVER_CALL_THREADS,
                daemon("watch-heartbeat", new AtomicInteger()));
        this.probes = Executors.newCachedThreadPool(daemon("watch-probe", new AtomicInteger()));
    }

    /** Watches running on this worker now. */
    int active() {
        return active.get();
    }

    /** Stops every watch without an answer, as a dead worker would; the scheduler takes no more. */
    void stopAll() {
        timer.shutdownNow();
        serverCalls.shutdownNow();
        probes.shutdownNow();
        active.set(0);
    }

    /** Starts carrying {@code watch}; returns at once. */
    void start(Watch watch) {
        new Running(watch).begin();
    }

    /**
     * How often a watch heartbeats: three times per heartbeat timeout, so two late sends on a saturated machine
     * still arrive in time (the SDK's own throttle sends at 0.8 of the timeout, which leaves one fifth of slack).
     */
    static Duration heartbeatCadence(Duration heartbeatTimeout) {
        if (heartbeatTimeout == null || heartbeatTimeout.isZero() || heartbeatTimeout.isNegative()) {
            return NO_TIMEOUT_CADENCE;
        }
        return Duration.ofMillis(Math.max(100, heartbeatTimeout.toMillis() / 3));
    }

    private final class Running {
        private final Watch watch;
        private final HealthRequest once;
        private final Duration poll;
        private final Deadline deadline;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile DockerServiceActivities.WatchProgress progress;
        private volatile ScheduledFuture<?> heartbeats;
        private volatile ScheduledFuture<?> nextRound;

        Running(Watch watch) {
            this.watch = watch;
            HealthRequest r = watch.request();
            this.once = HealthRequest.once(r.composeProject(), r.checks());
            this.poll = Duration.ofMillis(Math.max(100, r.pollInterval().toMillis()));
            this.progress = watch.progress();
            this.deadline = Deadline.after(Duration.ofMillis(
                    progress.startedAt() + r.within().toMillis() - System.currentTimeMillis()));
        }

        void begin() {
            active.incrementAndGet();
            long every = heartbeatCadence(watch.heartbeatTimeout()).toMillis();
            // The first heartbeat goes at once: it records the window's start for a retry on another worker.
            heartbeats = timer.scheduleAtFixedRate(() -> send(this::heartbeat), 0, every,
                    TimeUnit.MILLISECONDS);
            // A retry whose window ran out while no worker watched still looks once before it answers, so
            // "healthy" always rests on a probe of this attempt.
            scheduleRound();
        }

        private void scheduleRound() {
            long wait = deadline.passed() ? 0 : deadline.next(poll).toMillis();
            try {
                nextRound = timer.schedule(() -> probes.execute(this::round), wait, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // The scheduler was stopped (the worker is going away): the server retries this watch elsewhere.
                stop();
            }
        }

        private void round() {
            if (done.get()) {
                return;
            }
            try {
                List<CheckResult> last = rounds.apply(once);
                progress = new DockerServiceActivities.WatchProgress(progress.startedAt(), progress.probes() + 1);
                boolean ok = last.stream().allMatch(CheckResult::ok);
                if (!ok || deadline.passed()) {
                    complete(new HealthResult(ok, last, progress.probes(),
                            System.currentTimeMillis() - progress.startedAt(), watch.attempt()));
                } else {
                    scheduleRound();
                }
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void heartbeat() {
            if (done.get()) {
                return;
            }
            try {
                watch.client().heartbeat(watch.taskToken(), progress);
            } catch (ActivityCanceledException e) {
                if (stop()) {
                    reportCancellation();
                }
            } catch (ActivityNotExistsException e) {
                // Timed out (retried elsewhere) or its workflow ended: nobody waits for this watch any more.
                stop();
            } catch (ActivityCompletionException e) {
                // Reset or paused on the server: this attempt ends; the server decides what comes next.
                stop();
            } catch (RuntimeException e) {
                // The server did not answer this once: the next heartbeat tries again; if none arrives in time,
                // the server times the attempt out and retries it, as for a dead worker.
                LOG.warn("watch heartbeat failed, trying again in {}: {}", heartbeatCadence(watch.heartbeatTimeout()),
                        e.toString());
            }
        }

        private void complete(HealthResult result) {
            if (stop()) {
                send(() -> {
                    try {
                        watch.client().complete(watch.taskToken(), result);
                    } catch (ActivityCompletionException e) {
                        LOG.info("watch result not delivered (activity gone): {}", e.toString());
                    } catch (RuntimeException e) {
                        LOG.warn("watch result not delivered; the server retries the watch after its heartbeat"
                                + " timeout: {}", e.toString());
                    }
                });
            }
        }

        private void fail(RuntimeException cause) {
            if (stop()) {
                send(() -> {
                    try {
                        watch.client().completeExceptionally(watch.taskToken(), ApplicationFailure.newFailure(
                                "watch failed: " + cause.getMessage(), cause.getClass().getSimpleName()));
                    } catch (RuntimeException e) {
                        LOG.warn("watch failure not delivered: {}", e.toString());
                    }
                });
            }
        }

        private void reportCancellation() {
            try {
                watch.client().reportCancellation(watch.taskToken(), progress);
            } catch (RuntimeException e) {
                LOG.info("watch cancellation not delivered: {}", e.toString());
            }
        }

        /** A call to the server on the server-call threads, unless the scheduler was stopped. */
        private void send(Runnable call) {
            try {
                serverCalls.execute(call);
            } catch (RejectedExecutionException e) {
                LOG.info("watch scheduler stopped; the server retries the watch after its heartbeat timeout");
            }
        }

        /** Ends this watch once; true for the caller that ended it. */
        private boolean stop() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            active.decrementAndGet();
            if (heartbeats != null) {
                heartbeats.cancel(false);
            }
            if (nextRound != null) {
                nextRound.cancel(false);
            }
            return true;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix, AtomicInteger n) {
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
