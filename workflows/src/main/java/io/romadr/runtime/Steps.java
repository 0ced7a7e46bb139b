package io.romadr.runtime;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;

/**
 * Workflow-side: the one step runner of every workflow. {@link #run} times one activity call as a step of the
 * timeline; what a failed step (retries spent) does is the runner's {@link OnFailure}: fail the run ({@link Failed},
 * which the workflow turns into its report) or record it and answer null (Scenario 1's ladder moves on). A call that
 * failed only because its worker died is called again ({@link LostWorkerRetry}). Deterministic, no I/O.
 */
public final class Steps {
    private static final Logger log = Workflow.getLogger(Steps.class);

    /** A step failed for good; the message is "step: why". */
    public static final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message, null, false, false);
        }
    }

    /** (Record and continue) A step's workers kept dying: nothing was observed, so nothing may be concluded. */
    public static final class WorkerLost extends RuntimeException {
        WorkerLost(String message) {
            super(message, null, false, false);
        }
    }

    /** What a step that failed for good does to the run. */
    public enum OnFailure {
        /** Throws {@link Failed}: the run stops there and reports (Scenarios 2-4, backups). */
        FAIL_RUN,
        /** Answers null, so the caller moves on; a step whose workers keep dying throws {@link WorkerLost}. */
        RECORD_AND_CONTINUE
    }

    /**
     * Version 1: a step whose worker died is called again instead of failing the step, and its attempts are counted
     * over every call. One change id for every workflow that runs its steps here.
     */
    public static final String LOST_WORKER_IS_NOT_A_FAILURE = "lost-worker-is-not-a-failure";
    /** The attempts of the scenarios' usual stubs ({@code Retries.of(5)}). */
    public static final int DEFAULT_ATTEMPTS = 5;
    /** Reading a plan file is quick: with one attempt per call, the calls are the attempts. */
    public static final Duration LOAD_PLAN_TIMEOUT = Duration.ofSeconds(10);

    private final Timeline timeline = new Timeline();
    private final OnFailure onFailure;
    private final ToIntFunction<ActivityFailure> stubAttempts;
    private Boolean lostWorkerRetries;
    private long deadline = Long.MAX_VALUE;
    private int round;
    private String subject = "";

    /** Fails the run on a failed step; every stub allows {@link #DEFAULT_ATTEMPTS} unless the call says otherwise. */
    public Steps() {
        this(OnFailure.FAIL_RUN, 1, e -> DEFAULT_ATTEMPTS);
    }

    private Steps(OnFailure onFailure, int firstRound, ToIntFunction<ActivityFailure> stubAttempts) {
        this.onFailure = onFailure;
        this.round = firstRound;
        this.stubAttempts = stubAttempts;
    }

    /**
     * Records a failed step and answers null; steps are numbered in rounds from 0 (before the first round), see
     * {@link #nextRound()}. Every stub allows {@code stubAttempts} unless the call says otherwise.
     */
    public static Steps recordingFailures(int stubAttempts) {
        return new Steps(OnFailure.RECORD_AND_CONTINUE, 0, e -> stubAttempts);
    }

    /**
     * Fails the run on a failed step, where each stub's maximumAttempts is known by its activity interface (what a
     * call that ran out of its attempts took). Activity type names are unique on a worker, so the failed type names
     * its stub.
     */
    public static Steps failingRunByActivityType(Map<Class<?>, Integer> attemptsByInterface) {
        Map<String, Integer> byType = new HashMap<>();
        attemptsByInterface.forEach((type, attempts) -> POJOActivityInterfaceMetadata.newInstance(type)
                .getMethodsMetadata().forEach(m -> byType.put(m.getActivityTypeName(), attempts)));
        Map<String, Integer> attempts = Map.copyOf(byType);
        return new Steps(OnFailure.FAIL_RUN, 1, e -> attempts.getOrDefault(e.getActivityType(), 1));
    }

    /**
     * The load-plan step. (Version 1) One attempt of {@link #LOAD_PLAN_TIMEOUT} per call, so a dead worker costs
     * seconds and the runner's count of calls is the attempt count (a plan carries no attempt number); before it, a
     * stub of five attempts of 30 s.
     */
    public RecoveryPlan loadPlan(String plan, Function<RecoveryPlan, String> detail) {
        subject = plan == null ? "" : plan;
        return run("load-plan", 1, () -> planStub().loadPlan(plan), detail);
    }

    /** {@link #loadPlan(String, Function)} with the plan's name as the step's detail. */
    public RecoveryPlan loadPlan(String plan) {
        return loadPlan(plan, p -> "plan \"" + p.name() + "\"");
    }

    /** Loads the plan; one without {@code what} (as {@code present} says) fails the run at plan-check. */
    public RecoveryPlan loadPlan(String plan, String what, Predicate<RecoveryPlan> present) {
        RecoveryPlan loaded = loadPlan(plan);
        if (!present.test(loaded)) {
            fail("plan-check", "plan \"" + loaded.name() + "\" has no " + what);
        }
        return loaded;
    }

    /**
     * As {@link #loadPlan(String, Function)}, as a local activity: run by the worker inside the workflow task that
     * asks for it, so the plan is there without a round trip through the server (Scenario 1's way to the restart).
     * Same timeout and single attempt per call.
     */
    public RecoveryPlan loadPlanInTask(String plan, Function<RecoveryPlan, String> detail) {
        subject = plan == null ? "" : plan;
        return run("load-plan", 1, () -> localStub(PlanActivities.class, LOAD_PLAN_TIMEOUT, Retries.of(1))
                .loadPlan(plan), detail);
    }

    private PlanActivities planStub() {
        return retriesLostWorkers()
                ? stub(PlanActivities.class, LOAD_PLAN_TIMEOUT, null, Retries.of(1))
                : stub(PlanActivities.class, Duration.ofSeconds(30), null, Retries.of(5));
    }

    /**
     * {@link #stub(Class, ActivityOptions)} with the options every workflow sets: {@code startToClose} per attempt,
     * a {@code heartbeat} timeout (null: the activity does not heartbeat) and its {@code retries}.
     */
    public <T> T stub(Class<T> activities, Duration startToClose, Duration heartbeat, RetryOptions retries) {
        ActivityOptions.Builder options = ActivityOptions.newBuilder().setStartToCloseTimeout(startToClose)
                .setRetryOptions(retries);
        if (heartbeat != null) {
            options.setHeartbeatTimeout(heartbeat);
        }
        return stub(activities, options.build());
    }

    /**
     * An activity stub whose every call carries the running step as its summary ("restart roma"), so the Web UI's
     * timeline names the step instead of the activity type. Summaries are metadata: the commands stay the same.
     */
    public <T> T stub(Class<T> activities, ActivityOptions options) {
        return summarised(activities, summary -> Workflow.newActivityStub(activities, summary == null
                ? options
                : ActivityOptions.newBuilder(options).setSummary(summary).build()));
    }

    /**
     * A local-activity stub for a short step that only observes (a plan, an assessment, one round of checks): the
     * worker runs it inside the workflow task that asks for it and records the result in that task's completion,
     * so the step costs no activity dispatch and no extra workflow task. Its time still counts on the timeline: the
     * SDK moves workflow time to the activity's end. It cannot heartbeat (a lost worker fails the workflow task,
     * and the next worker runs it again from the start), so only steps that are cheap to repeat use it. Each call
     * carries the running step as its summary, as {@link #stub(Class, ActivityOptions)}.
     */
    public <T> T localStub(Class<T> activities, Duration startToClose, RetryOptions retries) {
        LocalActivityOptions options = LocalActivityOptions.newBuilder().setStartToCloseTimeout(startToClose)
                .setRetryOptions(retries).setDoNotIncludeArgumentsIntoMarker(true).build();
        return summarised(activities, summary -> Workflow.newLocalActivityStub(activities, summary == null
                ? options
                : LocalActivityOptions.newBuilder(options).setSummary(summary).build()));
    }

    /** A proxy that makes each call on the stub {@code stubFor} returns for the running step's summary (or null). */
    private <T> T summarised(Class<T> activities, Function<String, T> stubFor) {
        InvocationHandler call = (proxy, method, args) -> {
            String step = timeline.current();
            T stub = stubFor.apply(method.getDeclaringClass() == Object.class || step.isEmpty()
                    ? null
                    : subject.isEmpty() ? step : step + " " + subject);
            try {
                return method.invoke(stub, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return activities.cast(Proxy.newProxyInstance(activities.getClassLoader(), new Class<?>[]{activities},
                call));
    }

    public <T> T run(String name, Supplier<T> activity, Function<T, String> detail) {
        return run(name, stubAttempts, activity, detail, r -> 1, r -> true);
    }

    /**
     * As {@link #run(String, Supplier, Function)}, recording how many attempts the activity took (its result says:
     * 2 or more means an earlier attempt failed or died with its worker).
     */
    public <T> T run(String name, Supplier<T> activity, Function<T, String> detail, ToIntFunction<T> attempts) {
        return run(name, stubAttempts, activity, detail, attempts, r -> true);
    }

    /** As {@link #run(String, Supplier, Function)} for a stub whose RetryOptions allow {@code maxAttempts}. */
    public <T> T run(String name, int maxAttempts, Supplier<T> activity, Function<T, String> detail) {
        return run(name, e -> maxAttempts, activity, detail, r -> 1, r -> true);
    }

    public <T> T run(String name, int maxAttempts, Supplier<T> activity, Function<T, String> detail,
            ToIntFunction<T> attempts) {
        return run(name, e -> maxAttempts, activity, detail, attempts, r -> true);
    }

    /** As {@link #run(String, Supplier, Function)}; a result that is not {@code ok} is recorded as FAILED. */
    public <T> T check(String name, Supplier<T> activity, Function<T, String> detail, Predicate<T> ok) {
        return run(name, stubAttempts, activity, detail, r -> 1, ok);
    }

    /** As {@link #check}, with the stub's maximumAttempts and the attempts the result reports. */
    public <T> T check(String name, int maxAttempts, Supplier<T> activity, Function<T, String> detail,
            ToIntFunction<T> attempts, Predicate<T> ok) {
        return run(name, e -> maxAttempts, activity, detail, attempts, ok);
    }

    /**
     * Runs one activity as a step. (Version 1 of {@link #LOST_WORKER_IS_NOT_A_FAILURE}) a call that failed only
     * because its worker died is called again ({@link LostWorkerRetry}) within the {@link #budget}, and the attempts
     * of every call are counted; a step whose workers keep dying fails as such, never as a failed action.
     *
     * @param maxAttemptsOf the failed stub's RetryOptions maximumAttempts (what a call that ran out of them took)
     * @param attempts      the attempt number a result reports; 1 for results that carry none
     */
    private <T> T run(String name, ToIntFunction<ActivityFailure> maxAttemptsOf, Supplier<T> activity,
            Function<T, String> detail, ToIntFunction<T> attempts, Predicate<T> ok) {
        int index = timeline.begin(name, round, now());
        try {
            if (!retriesLostWorkers()) {
                T result;
                try {
                    result = activity.get();
                } catch (ActivityFailure e) {
                    return failed(name, index, LostWorkerRetry.attemptsOf(e, maxAttemptsOf.applyAsInt(e)),
                            message(e), false);
                }
                int n = result == null ? 1 : Math.max(1, attempts.applyAsInt(result));
                return succeeded(index, result, n, detail, ok, n > 1 ? " (attempt " + n + ")" : "");
            }
            LostWorkerRetry.Result<T> r = LostWorkerRetry.call(activity, attempts, maxAttemptsOf, deadline);
            if (r.failure() == null) {
                return succeeded(index, r.value(), r.attempts(), detail, ok, r.calls() > 1
                        ? r.callsNote()
                        : r.attempts() > 1 ? " (attempt " + r.attempts() + ")" : "");
            }
            return failed(name, index, r.attempts(), r.failureDetail(message(r.failure())), r.workerLost());
        } catch (TemporalFailure e) {
            if (onFailure == OnFailure.RECORD_AND_CONTINUE) {
                throw e; // not an activity's failure (a cancellation): the caller's business
            }
            return failed(name, index, 1, message(e), false);
        }
    }

    private <T> T succeeded(int index, T result, int attempts, Function<T, String> detail, Predicate<T> ok,
            String note) {
        timeline.end(index, now(), attempts, result == null || ok.test(result) ? StepOutcome.OK : StepOutcome.FAILED,
                (result == null ? "" : detail.apply(result)) + note);
        return result;
    }

    private <T> T failed(String name, int index, int attempts, String message, boolean workerLost) {
        timeline.end(index, now(), attempts, StepOutcome.FAILED, message);
        if (onFailure == OnFailure.FAIL_RUN) {
            throw new Failed(name + ": " + message);
        }
        log.warn("step {} failed: {}", name, message);
        if (workerLost) {
            throw new WorkerLost("step " + name + ": " + message);
        }
        return null;
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
     * A probe outside the timeline (a watch's health check): its result; {@code failedAfter(attempts)} when it failed;
     * or (version 1) null when its workers kept dying, since a probe that never ran saw nothing (not a relapse).
     * Lost workers are called again whatever the budget: the watch comes after the recovery.
     */
    public <T> T probe(Supplier<T> activity, ToIntFunction<T> attempts, int maxAttempts, IntFunction<T> failedAfter) {
        if (!retriesLostWorkers()) {
            try {
                return activity.get();
            } catch (ActivityFailure e) {
                log.warn("probe failed: {}", message(e));
                return failedAfter.apply(maxAttempts);
            }
        }
        LostWorkerRetry.Result<T> r = LostWorkerRetry.call(activity, attempts, maxAttempts, Long.MAX_VALUE);
        if (r.workerLost()) {
            log.warn("probe lost its worker {} times; not counted", r.calls());
            return null;
        }
        return r.value() != null ? r.value() : failedAfter.apply(r.attempts());
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

    /** Starts the next round of steps (Scenario 1: each climb of the escalation ladder) and returns its number. */
    public int nextRound() {
        return ++round;
    }

    public int round() {
        return round;
    }

    public int begin(String name) {
        return timeline.begin(name, round, now());
    }

    public void end(int index, StepOutcome outcome, String detail) {
        end(index, 1, outcome, detail);
    }

    public void end(int index, int attempts, StepOutcome outcome, String detail) {
        timeline.end(index, now(), attempts, outcome, detail);
    }

    public void mark(String name, StepOutcome outcome, String detail) {
        timeline.mark(name, round, now(), outcome, detail);
    }

    /** Records the step as failed and ends the run there. */
    public void fail(String name, String detail) {
        mark(name, StepOutcome.FAILED, detail);
        throw new Failed(name + ": " + detail);
    }

    /** The step running now ("" when none). */
    public String current() {
        return timeline.current();
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

    private static long now() {
        return Workflow.currentTimeMillis();
    }
}
