package io.romadr.backup;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.recovery.ServiceActivities;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.report.Steps;
import io.romadr.report.Timeline;
import io.romadr.temporal.LostWorkerRetry;
import io.romadr.temporal.RomaSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The parts every backup, restore and retention workflow shares: activity stubs with their timeouts, the timeline
 * of steps, and search attributes. Workflow-side code: deterministic, no I/O.
 */
final class BackupWorkflowSupport {
    /** Thrown inside a workflow when a step failed for good; the workflow turns it into its report. */
    static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message, null, false, false);
        }
    }

    static RetryOptions retries(int maxAttempts, Duration maxInterval) {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(maxInterval)
                .setMaximumAttempts(maxAttempts)
                .setDoNotRetry(IllegalArgumentException.class.getName())
                .build();
    }

    static final int BACKUP_ATTEMPTS = 10;
    static final int SECRETS_ATTEMPTS = 5;
    static final int GIT_ATTEMPTS = 4;
    static final int GIT_RECORD_ATTEMPTS = 5;
    static final int IMAGE_ATTEMPTS = 4;
    static final int TEST_RESTORE_ATTEMPTS = 3;
    /** A restore's wait for the service's health ({@link BackupRestoreWorkflowImpl}). */
    static final int SERVICE_ATTEMPTS = 3;

    /**
     * maximumAttempts of each stub the backup workflows run as steps, by activity interface: what a call that ran
     * out of its attempts took. Activity type names are unique on a worker, so the failed type names its stub.
     * (Plans: in version 1 the plan is loaded through {@link Steps#loadPlanStub()}, one attempt per call.)
     */
    private static final Map<String, Integer> ATTEMPTS_BY_TYPE = attemptsByType(Map.of(
            PlanActivities.class, 1, BackupActivities.class, BACKUP_ATTEMPTS, SecretsActivities.class, SECRETS_ATTEMPTS,
            GitMirrorActivities.class, GIT_ATTEMPTS, GitMirrorRecordActivities.class, GIT_RECORD_ATTEMPTS,
            ImageMirrorActivities.class, IMAGE_ATTEMPTS, TestRestoreActivities.class, TEST_RESTORE_ATTEMPTS,
            ServiceActivities.class, SERVICE_ATTEMPTS));

    final PlanActivities plans = Workflow.newActivityStub(PlanActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(retries(5, Duration.ofSeconds(10)))
            .build());

    /**
     * Snapshots and restores stream gigabytes: a long start-to-close, but a short heartbeat timeout, so a dead
     * worker is noticed within 15 s and the retry (resuming the upload where the store allows) starts elsewhere.
     */
    final BackupActivities backups = Workflow.newActivityStub(BackupActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofHours(6))
            .setHeartbeatTimeout(Duration.ofSeconds(15))
            .setRetryOptions(retries(BACKUP_ATTEMPTS, Duration.ofMinutes(1)))
            .build());

    final SecretsActivities secrets = Workflow.newActivityStub(SecretsActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(10))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .setRetryOptions(retries(SECRETS_ATTEMPTS, Duration.ofSeconds(30)))
            .build());

    /** Git fetches and pushes can be large: heartbeats every few seconds, a few retries per remote. */
    final GitMirrorActivities git = Workflow.newActivityStub(GitMirrorActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofHours(2))
            .setHeartbeatTimeout(Duration.ofSeconds(60))
            .setRetryOptions(retries(GIT_ATTEMPTS, Duration.ofSeconds(30)))
            .build());

    final GitMirrorRecordActivities gitRecords = Workflow.newActivityStub(GitMirrorRecordActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(2))
                    .setRetryOptions(retries(GIT_RECORD_ATTEMPTS, Duration.ofSeconds(10)))
                    .build());

    final ImageMirrorActivities images = Workflow.newActivityStub(ImageMirrorActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofHours(2))
                    .setHeartbeatTimeout(Duration.ofSeconds(60))
                    .setRetryOptions(retries(IMAGE_ATTEMPTS, Duration.ofSeconds(30)))
                    .build());

    /** A test restore reads the whole snapshot and waits for health: long, heartbeating; a failed check is a result. */
    final TestRestoreActivities testRestores = Workflow.newActivityStub(TestRestoreActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofHours(2))
                    .setHeartbeatTimeout(Duration.ofSeconds(60))
                    .setRetryOptions(retries(TEST_RESTORE_ATTEMPTS, Duration.ofSeconds(30)))
                    .build());

    private final PlanActivities plansOnce = Steps.loadPlanStub();
    final Timeline timeline = new Timeline();
    private Boolean lostWorkerRetries;
    final String workflowId = Workflow.getInfo().getWorkflowId();
    final long startedAt = Workflow.currentTimeMillis();
    private Outcome outcome = Outcome.RUNNING;

    BackupWorkflowSupport(String scenario, String plan) {
        Workflow.upsertTypedSearchAttributes(
                RomaSearchAttributes.SCENARIO.valueSet(scenario),
                RomaSearchAttributes.PLAN.valueSet(plan == null ? "" : plan),
                RomaSearchAttributes.OUTCOME.valueSet(Outcome.RUNNING.name()));
    }

    /** Short, replay-stable id of this run for object keys: two runs never write the same key. */
    String runId() {
        return Workflow.getInfo().getRunId().replace("-", "").substring(0, 8);
    }

    static long now() {
        return Workflow.currentTimeMillis();
    }

    RecoveryPlan loadPlan(String name) {
        return step("load-plan", () -> (retriesLostWorkers() ? plansOnce : plans).loadPlan(name),
                p -> "plan \"" + p.name() + "\"");
    }

    /** Runs one activity as a timeline step; a failure (retries spent) is recorded and thrown as {@link StepFailed}. */
    <T> T step(String name, Supplier<T> activity, Function<T, String> detail) {
        return step(name, activity, detail, r -> true);
    }

    /**
     * As {@link #step(String, Supplier, Function)}; a result that is not {@code ok} is recorded as FAILED.
     * (Version 1 of {@link Steps#LOST_WORKER_IS_NOT_A_FAILURE}) a call that failed only because its worker died is
     * called again ({@link LostWorkerRetry}), attempts are counted over every call, and a step whose workers keep
     * dying fails as such.
     */
    <T> T step(String name, Supplier<T> activity, Function<T, String> detail, java.util.function.Predicate<T> ok) {
        int index = timeline.begin(name, 1, now());
        if (!retriesLostWorkers()) {
            try {
                T result = activity.get();
                timeline.end(index, now(), 1, result == null || ok.test(result) ? StepOutcome.OK
                        : StepOutcome.FAILED, result == null ? "" : detail.apply(result));
                return result;
            } catch (ActivityFailure e) {
                String message = rootMessage(e);
                timeline.end(index, now(), 1, StepOutcome.FAILED, message);
                throw new StepFailed(name + ": " + message);
            }
        }
        LostWorkerRetry.Result<T> r = LostWorkerRetry.call(activity, result -> 1,
                e -> ATTEMPTS_BY_TYPE.getOrDefault(e.getActivityType(), 1), Long.MAX_VALUE);
        if (r.failure() == null) {
            T result = r.value();
            timeline.end(index, now(), r.attempts(), result == null || ok.test(result) ? StepOutcome.OK
                    : StepOutcome.FAILED, (result == null ? "" : detail.apply(result)) + r.callsNote());
            return result;
        }
        String message = r.failureDetail(rootMessage(r.failure()));
        timeline.end(index, now(), r.attempts(), StepOutcome.FAILED, message);
        throw new StepFailed(name + ": " + message);
    }

    /** Version 1 of {@link Steps#LOST_WORKER_IS_NOT_A_FAILURE} in this run, decided once, at the first step. */
    boolean retriesLostWorkers() {
        if (lostWorkerRetries == null) {
            lostWorkerRetries = Workflow.getVersion(Steps.LOST_WORKER_IS_NOT_A_FAILURE, Workflow.DEFAULT_VERSION,
                    1) >= 1;
        }
        return lostWorkerRetries;
    }

    private static Map<String, Integer> attemptsByType(Map<Class<?>, Integer> byInterface) {
        Map<String, Integer> byType = new HashMap<>();
        byInterface.forEach((type, attempts) -> POJOActivityInterfaceMetadata.newInstance(type).getMethodsMetadata()
                .forEach(m -> byType.put(m.getActivityTypeName(), attempts)));
        return Map.copyOf(byType);
    }

    /** Records a step that did not call an activity (e.g. a decision), or ends a step as failed. */
    void mark(String name, StepOutcome result, String detail) {
        timeline.mark(name, 1, now(), result, detail);
    }

    void fail(String name, String detail) {
        mark(name, StepOutcome.FAILED, detail);
        throw new StepFailed(name + ": " + detail);
    }

    /** Fails the run after a step that already recorded its failure in the timeline. */
    static void failAfter(String name, String detail) {
        throw new StepFailed(name + ": " + detail);
    }

    List<StepRecord> steps() {
        return timeline.snapshot();
    }

    String currentStep() {
        return timeline.current();
    }

    Outcome outcome() {
        return outcome;
    }

    /** Records the outcome; search attribute first, so a query or a list shows it with the report. */
    void finish(Outcome result) {
        outcome = result;
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.OUTCOME.valueSet(result.name()));
    }

    static String rootMessage(TemporalFailure e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApplicationFailure af) {
            return af.getOriginalMessage();
        }
        return t.getMessage();
    }
}
