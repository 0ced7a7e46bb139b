package io.romadr.report;

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

    private final Timeline timeline = new Timeline();

    /** The scenario workflows' retry policy: from 1 s doubling to 30 s, {@code attempts} in all; bad input not retried. */
    public static RetryOptions retries(int attempts) {
        return RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(30)).setMaximumAttempts(attempts)
                .setDoNotRetry(IllegalArgumentException.class.getName()).build();
    }

    public <T> T run(String name, Supplier<T> activity, Function<T, String> detail) {
        int index = timeline.begin(name, 1, Workflow.currentTimeMillis());
        try {
            T result = activity.get();
            timeline.end(index, Workflow.currentTimeMillis(), 1, StepOutcome.OK,
                    result == null ? "" : detail.apply(result));
            return result;
        } catch (TemporalFailure e) {
            String message = message(e);
            timeline.end(index, Workflow.currentTimeMillis(), 1, StepOutcome.FAILED, message);
            throw new Failed(name + ": " + message);
        }
    }

    /**
     * As {@link #run(String, Supplier, Function)}, recording how many attempts the activity took (its result says:
     * 2 or more means an earlier attempt failed or died with its worker).
     */
    public <T> T run(String name, Supplier<T> activity, Function<T, String> detail, ToIntFunction<T> attempts) {
        int index = timeline.begin(name, 1, Workflow.currentTimeMillis());
        try {
            T result = activity.get();
            int n = result == null ? 1 : Math.max(1, attempts.applyAsInt(result));
            timeline.end(index, Workflow.currentTimeMillis(), n, StepOutcome.OK,
                    (result == null ? "" : detail.apply(result)) + (n > 1 ? " (attempt " + n + ")" : ""));
            return result;
        } catch (TemporalFailure e) {
            String message = message(e);
            timeline.end(index, Workflow.currentTimeMillis(), 1, StepOutcome.FAILED, message);
            throw new Failed(name + ": " + message);
        }
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
