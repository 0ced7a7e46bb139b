package io.romadr.runtime;

import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Workflow-side: one step's activity call, called again (same arguments, so the same idempotency key) while it
 * failed only because its worker was lost. The server cannot tell a dead worker from a failed action: both spend the
 * activity's attempts (RetryOptions has no way to exempt timeouts), so after a few crashes in a row the call fails
 * with a {@link TimeoutFailure}. That says nothing about the action, so it is never a reason to escalate. Real
 * failures (an ApplicationFailure from the activity) still get only the activity's own RetryOptions. Bounded by
 * {@link #MAX_CALLS} and a deadline in workflow time (the RTO budget).
 */
public final class LostWorkerRetry {
    /** Calls of one step in all: a worker that dies on every attempt cannot keep a step going for ever. */
    public static final int MAX_CALLS = 5;

    private LostWorkerRetry() {
    }

    /**
     * What one step's calls came to: the result, or the last call's failure; {@code attempts} counts the
     * activity attempts of every call (what the history shows), {@code calls} the workflow's own calls.
     */
    public record Result<T>(T value, ActivityFailure failure, int attempts, int calls) {
        /** True when the step gave up only because its workers kept dying: no evidence about the action. */
        public boolean workerLost() {
            return failure != null && lostWorker(failure);
        }

        /**
         * The timeline detail of a step that failed: that its workers kept dying, or {@code why} (the failure's own
         * message) with the calls note.
         */
        public String failureDetail(String why) {
            return workerLost()
                    ? "worker lost in every attempt (" + calls + " calls, " + attempts + " attempts: "
                            + why + ")"
                    : why + callsNote();
        }

        /** "; worker lost, called 3 times" style note for the timeline, empty when there was one call. */
        public String callsNote() {
            return calls > 1 ? " (worker lost; " + calls + " calls, " + attempts + " attempts)" : "";
        }
    }

    /**
     * Calls {@code activity} until it returns, fails for a reason other than a lost worker, has been called
     * {@link #MAX_CALLS} times, or workflow time passes {@code deadlineMillis}.
     *
     * @param attemptOf   the attempt number a result reports ({@code Activity...getInfo().getAttempt()}); results
     *                    that carry none count as the stub's only attempt (use such stubs with maximumAttempts 1)
     * @param maxAttempts the stub's RetryOptions maximumAttempts, i.e. the attempts of a call that ran out of them
     */
    public static <T> Result<T> call(Supplier<T> activity, ToIntFunction<T> attemptOf, int maxAttempts,
            long deadlineMillis) {
        return call(activity, attemptOf, e -> maxAttempts, deadlineMillis);
    }

    /** As above, where the stub's maximumAttempts depends on the failed activity (several stubs, one runner). */
    public static <T> Result<T> call(Supplier<T> activity, ToIntFunction<T> attemptOf,
            ToIntFunction<ActivityFailure> maxAttemptsOf, long deadlineMillis) {
        int spent = 0;
        int calls = 0;
        while (true) {
            calls++;
            try {
                T value = activity.get();
                int last = value == null ? 1 : Math.max(1, attemptOf.applyAsInt(value));
                return new Result<>(value, null, spent + last, calls);
            } catch (ActivityFailure e) {
                spent += attemptsOf(e, maxAttemptsOf.applyAsInt(e));
                if (!lostWorker(e) || calls >= MAX_CALLS || Workflow.currentTimeMillis() >= deadlineMillis) {
                    return new Result<>(null, e, spent, calls);
                }
                Workflow.getLogger(LostWorkerRetry.class).warn("{} lost its worker ({}); calling it again ({} of {})",
                        e.getActivityType(), e.getCause().getMessage(), calls + 1, MAX_CALLS);
            }
        }
    }

    /** A timeout that only a lost (dead, partitioned or overloaded) worker explains. */
    public static boolean lostWorker(ActivityFailure e) {
        if (!(e.getCause() instanceof TimeoutFailure t)) {
            return false;
        }
        TimeoutType type = t.getTimeoutType();
        return type == TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE || type == TimeoutType.TIMEOUT_TYPE_HEARTBEAT
                || type == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
    }

    /**
     * Attempts one failed call took: all of them when it ran out; otherwise the failure was not retried, and a
     * non-retryable failure after earlier timeouts is counted as one attempt (the failure does not say which).
     */
    public static int attemptsOf(ActivityFailure e, int maxAttempts) {
        return e.getRetryState() == RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED ? Math.max(1, maxAttempts) : 1;
    }
}
