package io.romadr.report;

import io.romadr.plan.PlanActivities;
import io.romadr.temporal.LostWorkerRetry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Workflow-side: a scenario's timeline of steps. {@link #run} times one activity call as a step; a failure (retries
 * spent) is recorded and thrown as {@link Failed}, which the workflow turns into its report. Deterministic, no I/O.
 */
public final class Steps {
    /** A step failed for good; the message is "step: why". */
    public static final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Version 1: a step whose worker died is called again instead of failing the scenario, and its attempts are
     * counted over every call. One change id for every scenario that runs its steps here.
     */
    public static final String LOST_WORKER_IS_NOT_A_FAILURE = "lost-worker-is-not-a-failure";
    /** The attempts of the scenarios' usual stubs ({@code retries(5)}). */
    public static final int DEFAULT_ATTEMPTS = 5;
    /** Reading a plan file is quick: with one attempt per call, the calls are the attempts. */
    public static final Duration LOAD_PLAN_TIMEOUT = Duration.ofSeconds(10);

    private final Timeline timeline = new Timeline();
    private Boolean lostWorkerRetries;
    private long deadline = Long.MAX_VALUE;

    /**
     * (Version 1) The load-plan stub: one attempt of {@link #LOAD_PLAN_TIMEOUT} per call, so a dead worker costs
     * seconds and the step runner's count of calls is the attempt count (a plan carries no attempt number).
     */
    public static PlanActivities loadPlanStub() {
        return Workflow.newActivityStub(PlanActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(LOAD_PLAN_TIMEOUT).setRetryOptions(retries(1)).build());
    }

    /** The scenario workflows' retry policy: from 1 s doubling to 30 s, {@code attempts} in all; bad input not retried. */
    public static RetryOptions retries(int attempts) {
        return RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(30)).setMaximumAttempts(attempts)
                .setDoNotRetry(IllegalArgumentException.class.getName()).build();
    }

    public <T> T run(String name, Supplier<T> activity, Function<T, String> detail) {
        return run(name, DEFAULT_ATTEMPTS, activity, detail, r -> 1);
    }

    /**
     * As {@link #run(String, Supplier, Function)}, recording how many attempts the activity took (its result says:
     * 2 or more means an earlier attempt failed or died with its worker).
     */
    public <T> T run(String name, Supplier<T> activity, Function<T, String> detail, ToIntFunction<T> attempts) {
        return run(name, DEFAULT_ATTEMPTS, activity, detail, attempts);
    }

    /** As {@link #run(String, Supplier, Function)} for a stub whose RetryOptions allow {@code maxAttempts}. */
    public <T> T run(String name, int maxAttempts, Supplier<T> activity, Function<T, String> detail) {
        return run(name, maxAttempts, activity, detail, r -> 1);
    }

    /**
     * Runs one activity as a step. (Version 1 of {@link #LOST_WORKER_IS_NOT_A_FAILURE}) a call that failed only
     * because its worker died is called again ({@link LostWorkerRetry}) within the budget, and the attempts of
     * every call are counted; a step whose workers keep dying fails as such, never as a failed action.
     *
     * @param maxAttempts the stub's RetryOptions maximumAttempts (what a call that ran out of them took)
     */
    public <T> T run(String name, int maxAttempts, Supplier<T> activity, Function<T, String> detail,
            ToIntFunction<T> attempts) {
        int index = timeline.begin(name, 1, Workflow.currentTimeMillis());
        try {
            if (!retriesLostWorkers()) {
                T result = activity.get();
                int n = result == null ? 1 : Math.max(1, attempts.applyAsInt(result));
                timeline.end(index, Workflow.currentTimeMillis(), n, StepOutcome.OK,
                        (result == null ? "" : detail.apply(result)) + (n > 1 ? " (attempt " + n + ")" : ""));
                return result;
            }
            LostWorkerRetry.Result<T> r = LostWorkerRetry.call(activity, attempts, maxAttempts, deadline);
            if (r.failure() == null) {
                T result = r.value();
                timeline.end(index, Workflow.currentTimeMillis(), r.attempts(), StepOutcome.OK,
                        (result == null ? "" : detail.apply(result)) + (r.calls() > 1 ? r.callsNote()
                                : r.attempts() > 1 ? " (attempt " + r.attempts() + ")" : ""));
                return result;
            }
            String message = r.failureDetail(message(r.failure()));
            timeline.end(index, Workflow.currentTimeMillis(), r.attempts(), StepOutcome.FAILED, message);
            throw new Failed(name + ": " + message);
        } catch (TemporalFailure e) {
            String message = message(e);
            timeline.end(index, Workflow.currentTimeMillis(), 1, StepOutcome.FAILED, message);
            throw new Failed(name + ": " + message);
        }
    }

    /**
     * (Version 1) An activity call outside the timeline (a probe, a parallel branch) under the same rule as
     * {@link #run}: called again while its worker was lost, within the budget. Throws the last call's failure.
     */
    public <T> T callAgainIfLost(Supplier<T> activity, int maxAttempts) {
        LostWorkerRetry.Result<T> r = LostWorkerRetry.call(activity, v -> 1, maxAttempts, deadline);
        if (r.failure() != null) {
            throw r.failure();
        }
        return r.value();
    }

    /**
     * Lost workers are called again only until workflow time {@code deadlineMillis} (the scenario's RTO budget);
     * without one, {@link LostWorkerRetry#MAX_CALLS} alone bounds them.
     */
    public void budget(long deadlineMillis) {
        deadline = deadlineMillis;
    }

    /** Version 1 of {@link #LOST_WORKER_IS_NOT_A_FAILURE} in this run, decided once, at the first step. */
    public boolean retriesLostWorkers() {
        if (lostWorkerRetries == null) {
            lostWorkerRetries = Workflow.getVersion(LOST_WORKER_IS_NOT_A_FAILURE, Workflow.DEFAULT_VERSION, 1) >= 1;
        }
        return lostWorkerRetries;
    }

    public int begin(String name) {
        return timeline.begin(name, 1, Workflow.currentTimeMillis());
    }

    public void end(int index, StepOutcome outcome, String detail) {
        timeline.end(index, Workflow.currentTimeMillis(), 1, outcome, detail);
    }

    public void mark(String name, StepOutcome outcome, String detail) {
        timeline.mark(name, 1, Workflow.currentTimeMillis(), outcome, detail);
    }

    /** Records the step as failed and ends the scenario there. */
    public void fail(String name, String detail) {
        mark(name, StepOutcome.FAILED, detail);
        throw new Failed(name + ": " + detail);
    }

    public List<StepRecord> snapshot() {
        return timeline.snapshot();
    }

    /** The innermost failure's own message (an activity's ApplicationFailure without the SDK's wrapping). */
    public static String message(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ApplicationFailure af ? af.getOriginalMessage() : String.valueOf(t.getMessage());
    }
}
