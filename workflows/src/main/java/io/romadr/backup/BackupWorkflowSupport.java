package io.romadr.backup;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.report.Timeline;
import io.romadr.temporal.RomaSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
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
            .setRetryOptions(retries(10, Duration.ofMinutes(1)))
            .build());

    final SecretsActivities secrets = Workflow.newActivityStub(SecretsActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(10))
            .setHeartbeatTimeout(Duration.ofSeconds(30))
            .setRetryOptions(retries(5, Duration.ofSeconds(30)))
            .build());

    /** Git fetches and pushes can be large: heartbeats every few seconds, a few retries per remote. */
    final GitMirrorActivities git = Workflow.newActivityStub(GitMirrorActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofHours(2))
            .setHeartbeatTimeout(Duration.ofSeconds(60))
            .setRetryOptions(retries(4, Duration.ofSeconds(30)))
            .build());

    final GitMirrorRecordActivities gitRecords = Workflow.newActivityStub(GitMirrorRecordActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(2))
                    .setRetryOptions(retries(5, Duration.ofSeconds(10)))
                    .build());

    final ImageMirrorActivities images = Workflow.newActivityStub(ImageMirrorActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofHours(2))
                    .setHeartbeatTimeout(Duration.ofSeconds(60))
                    .setRetryOptions(retries(4, Duration.ofSeconds(30)))
                    .build());

    /** A test restore reads the whole snapshot and waits for health: long, heartbeating; a failed check is a result. */
    final TestRestoreActivities testRestores = Workflow.newActivityStub(TestRestoreActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofHours(2))
                    .setHeartbeatTimeout(Duration.ofSeconds(60))
                    .setRetryOptions(retries(3, Duration.ofSeconds(30)))
                    .build());

    final Timeline timeline = new Timeline();
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
        return step("load-plan", () -> plans.loadPlan(name), p -> "plan \"" + p.name() + "\"");
    }

    /** Runs one activity as a timeline step; a failure (retries spent) is recorded and thrown as {@link StepFailed}. */
    <T> T step(String name, Supplier<T> activity, Function<T, String> detail) {
        return step(name, activity, detail, r -> true);
    }

    /** As {@link #step(String, Supplier, Function)}; a result that is not {@code ok} is recorded as FAILED. */
    <T> T step(String name, Supplier<T> activity, Function<T, String> detail, java.util.function.Predicate<T> ok) {
        int index = timeline.begin(name, 1, now());
        try {
            T result = activity.get();
            timeline.end(index, now(), 1, result == null || ok.test(result) ? StepOutcome.OK : StepOutcome.FAILED,
                    result == null ? "" : detail.apply(result));
            return result;
        } catch (ActivityFailure e) {
            String message = rootMessage(e);
            timeline.end(index, now(), 1, StepOutcome.FAILED, message);
            throw new StepFailed(name + ": " + message);
        }
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
