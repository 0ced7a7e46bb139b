package io.romadr.recovery;

import io.romadr.plan.CommandStep;
import io.romadr.plan.Durations;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.report.RecoveryReport;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.report.Steps;
import io.romadr.report.Timeline;
import io.romadr.temporal.LostWorkerRetry;
import io.romadr.temporal.RomaSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Scenario 1, escalating as the seed does: assess, then restart, recreate and rebuild in turn until the health
 * checks pass; verify with health and smoke checks; watch for the plan's window, and start over on a relapse.
 * The RTO clock is a timer armed at the start: it marks the breach the moment the budget is spent, and the
 * recovery carries on.
 */
public class ServiceRecoveryWorkflowImpl implements ServiceRecoveryWorkflow {
    private static final Logger log = Workflow.getLogger(ServiceRecoveryWorkflowImpl.class);
    static final int ACTION_ATTEMPTS = 3;
    static final int REBUILD_ATTEMPTS = 2;
    static final String ACT_ON_BROKEN_ONLY = "act-on-broken-containers-only";
    static final String FAIL_WHEN_NOT_RECOVERED = "fail-when-not-recovered";
    /**
     * Version 1: a step whose worker died is called again instead of counting as a failed action, a step without a
     * result never widens what is acted on, short steps have timeouts of seconds, and attempts are counted truly.
     */
    static final String LOST_WORKER_IS_NOT_A_FAILURE = Steps.LOST_WORKER_IS_NOT_A_FAILURE;
    /** Short steps heartbeat while they wait on the engine or a check; a dead worker is noticed after this. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final PlanActivities plans = Workflow.newActivityStub(PlanActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(retries(5))
            .build());
    private final PlanActivities plansOnce = Steps.loadPlanStub();

    private final Timeline timeline = new Timeline();
    private String workflowId;
    private String planName = "";
    private long startedAt;
    private long rtoMillis;
    private int round;
    private Outcome outcome = Outcome.RUNNING;
    private boolean breached;
    private Long breachedAt;
    private Long restoredAt;
    private String recoveredBy = "";
    private int relapses;
    private Boolean lostWorkerRetries;
    /** Why the escalation stopped short of its ladder, when that is not "nothing healed". */
    private String stoppedBecause = "";

    @Override
    public RecoveryReport recover(ServiceRecoveryRequest request) {
        workflowId = Workflow.getInfo().getWorkflowId();
        startedAt = Workflow.currentTimeMillis();
        planName = request.plan() == null ? "" : request.plan();
        Workflow.upsertTypedSearchAttributes(
                RomaSearchAttributes.SCENARIO.valueSet(SCENARIO),
                RomaSearchAttributes.PLAN.valueSet(planName),
                RomaSearchAttributes.OUTCOME.valueSet(Outcome.RUNNING.name()),
                RomaSearchAttributes.RTO_BREACHED.valueSet(false));

        RecoveryPlan plan = loadPlan();
        if (plan == null) {
            List<StepRecord> steps = timeline.snapshot();
            return finish(request, Outcome.FAILED, "Could not load plan \"" + planName + "\": "
                    + steps.get(steps.size() - 1).detail() + "; nothing was changed.");
        }
        rtoMillis = plan.rto().service().toMillis();
        armRtoTimer();

        RecoverySettings settings = plan.recovery();
        ServiceActions actions = new ServiceActions(plan, retriesLostWorkers());
        while (true) {
            round++;
            if (!escalate(plan, actions)) {
                return finish(request, Outcome.FAILED, failureSummary());
            }
            restoredAt = Workflow.currentTimeMillis();
            if (watch(plan, actions)) {
                break;
            }
            relapses++;
            restoredAt = null;
            recoveredBy = "";
            if (relapses > settings.maxRelapses()) {
                return finish(request, Outcome.FAILED, failureSummary());
            }
            armRtoTimer();
        }
        return finish(request, Outcome.RECOVERED, "Recovered by " + recoveredBy + " in "
                + ReportFormatter.clock(restoredAt - startedAt) + " against an RTO of "
                + ReportFormatter.clock(rtoMillis) + (breached ? " (RTO BREACHED)." : " (RTO met).")
                + (relapses > 0 ? " Relapsed " + relapses + " time(s) during the watch window." : ""));
    }

    @Override
    public Progress progress() {
        return new Progress(SCENARIO, planName, outcome, timeline.current(), round, startedAt, rtoMillis, breached,
                restoredAt, timeline.snapshot());
    }

    @Override
    public void triggerNotice(io.romadr.report.TriggerNotice notice) {
        timeline.mark(notice.step(), round, now(), StepOutcome.OK, notice.line());
    }

    @Override
    public void alertNotice(AlertNotice notice) {
        timeline.mark("alert-" + (notice.status() == null ? "notice" : notice.status()), round, now(),
                StepOutcome.OK, notice.source() + " " + notice.fingerprint()
                        + (notice.at() == null || notice.at().isBlank() ? "" : " at " + notice.at())
                        + (notice.summary() == null || notice.summary().isBlank() ? "" : ": " + notice.summary()));
    }

    // ---- the escalation ladder -------------------------------------------------------------------------------

    /** Returns true once the service passes its health checks and smoke checks. */
    private boolean escalate(RecoveryPlan plan, ServiceActions actions) {
        try {
            return climb(plan, actions);
        } catch (WorkerLost e) {
            // No step observed anything: escalating (or acting on more containers) would be a guess.
            stoppedBecause = "Not recovered: " + e.getMessage() + "; stopped there instead of escalating on no "
                    + "evidence.";
            return false;
        }
    }

    private boolean climb(RecoveryPlan plan, ServiceActions actions) {
        ServiceSpec service = plan.service();
        RecoverySettings settings = plan.recovery();

        Assessment assessment = call("assess", ACTION_ATTEMPTS, () -> actions.quick.assess(service),
                Assessment::attempt, a -> StepOutcome.OK, Assessment::summary);
        if (assessment == null && retriesLostWorkers()) {
            // Without an assessment nobody knows which containers are broken; "all of them" would restart the
            // healthy neighbours too.
            timeline.mark("restart", round, now(), StepOutcome.SKIPPED, "no assessment of the containers: "
                    + "nothing is acted on rather than everything");
            stoppedBecause = "Not recovered: the assess step has no result, so no container was acted on.";
            return false;
        }
        if (assessment != null && !assessment.engineReachable()) {
            // Nothing below can work without the engine; the activities' own retries have already been spent.
            timeline.mark("engine", round, now(), StepOutcome.FAILED, "Docker engine unreachable");
            return false;
        }
        if (assessment != null && assessment.allRunning()) {
            HealthResult health = call("check", ACTION_ATTEMPTS, () -> actions.quick.check(HealthRequest.once(
                    service.composeProject(), service.healthChecks())),
                    HealthResult::attempt, h -> h.healthy() ? StepOutcome.OK : StepOutcome.FAILED,
                    HealthResult::summary);
            if (health != null && health.healthy() && verify(service, actions)) {
                recoveredBy = "no action (already healthy)";
                return true;
            }
            if (health == null && retriesLostWorkers()) {
                // Everything runs and no check result says otherwise: restarting all of it would be a guess.
                timeline.mark("restart", round, now(), StepOutcome.SKIPPED, "no health check result: nothing is "
                        + "acted on rather than every running container");
                stoppedBecause = "Not recovered: every container runs and the check step has no result, so no "
                        + "container was acted on.";
                return false;
            }
        }

        // Act on the broken containers only, so a healthy neighbour keeps serving. (Version 1; before it, every
        // container of the project was acted on.)
        List<String> targets = Workflow.getVersion(ACT_ON_BROKEN_ONLY, Workflow.DEFAULT_VERSION, 1) == 1
                && assessment != null ? assessment.brokenServices() : List.of();

        // Level 1: restart. A removed container cannot be restarted, so go straight to recreate. A container
        // started after this moment was restarted by this step (its idempotency key when it is called again).
        long restartSince = retriesLostWorkers() ? now() : 0;
        if (assessment != null && !assessment.missingServices().isEmpty()) {
            timeline.mark("restart", round, now(), StepOutcome.SKIPPED,
                    "containers missing for " + assessment.missingServices() + "; restart cannot bring them back");
        } else if (act("restart", () -> actions.acting.restart(
                new RestartRequest(service, settings.stopTimeout(), targets, restartSince)))
                && healthyAfter("restart", service, settings, actions)) {
            return true;
        }

        // Level 2: recreate from the containers' own configuration.
        if (act("recreate", () -> actions.acting.recreate(
                new RecreateRequest(service, settings.stopTimeout(), recoveryKey("recreate"), targets)))
                && healthyAfter("recreate", service, settings, actions)) {
            return true;
        }

        // Level 3: the plan's rebuild steps, then recreate on what they built.
        if (service.rebuild().isEmpty()) {
            timeline.mark("rebuild", round, now(), StepOutcome.SKIPPED, "the plan has no rebuild steps");
            return false;
        }
        for (CommandStep step : service.rebuild()) {
            if (!act("rebuild: " + step.name(), REBUILD_ATTEMPTS, () -> actions.rebuildStub(step).runCommand(step))) {
                return false;
            }
        }
        return act("recreate", () -> actions.acting.recreate(
                new RecreateRequest(service, settings.stopTimeout(), recoveryKey("rebuild"), List.of())))
                && healthyAfter("rebuild", service, settings, actions);
    }

    private boolean healthyAfter(String action, ServiceSpec service, RecoverySettings settings,
            ServiceActions actions) {
        HealthResult health = call("wait-healthy", ACTION_ATTEMPTS, () -> actions.waiting.waitHealthy(new HealthRequest(
                service.composeProject(), service.healthChecks(), settings.waitHealthy(), settings.pollInterval())),
                HealthResult::attempt, h -> h.healthy() ? StepOutcome.OK : StepOutcome.FAILED,
                h -> (h.healthy() ? "healthy after " : "still unhealthy after ")
                        + ReportFormatter.seconds(h.waitedMillis()) + ": " + h.summary());
        if (health == null || !health.healthy() || !verify(service, actions)) {
            return false;
        }
        recoveredBy = action;
        return true;
    }

    /** The seed's "Step 4: Verify recovery": every health check and smoke check, once. */
    private boolean verify(ServiceSpec service, ServiceActions actions) {
        List<HealthCheck> all = new ArrayList<>(service.healthChecks());
        all.addAll(service.smoke());
        HealthResult result = call("verify", ACTION_ATTEMPTS, () -> actions.quick.check(HealthRequest.once(
                service.composeProject(), all)),
                HealthResult::attempt, h -> h.healthy() ? StepOutcome.OK : StepOutcome.FAILED,
                HealthResult::summary);
        return result != null && result.healthy();
    }

    /** The seed's "monitor for 15 minutes", on workflow timers. Returns false on a relapse. */
    private boolean watch(RecoveryPlan plan, ServiceActions actions) {
        RecoverySettings settings = plan.recovery();
        if (settings.watchWindow().isZero()) {
            return true;
        }
        ServiceSpec service = plan.service();
        int index = timeline.begin("watch", round, now());
        long end = now() + settings.watchWindow().toMillis();
        int probes = 0;
        while (now() < end) {
            Workflow.sleep(Duration.ofMillis(Math.min(settings.watchInterval().toMillis(), end - now())));
            probes++;
            HealthResult health;
            HealthRequest probe = HealthRequest.once(service.composeProject(), service.healthChecks());
            if (retriesLostWorkers()) {
                LostWorkerRetry.Result<HealthResult> r = LostWorkerRetry.call(() -> actions.quick.check(probe),
                        HealthResult::attempt, ACTION_ATTEMPTS, Long.MAX_VALUE);
                if (r.workerLost()) {
                    // A probe that never ran saw nothing: not a relapse.
                    log.warn("watch probe lost its worker {} times; not counted", r.calls());
                    continue;
                }
                health = r.value() != null ? r.value() : new HealthResult(false, List.of(), 0, 0, r.attempts());
            } else {
                try {
                    health = actions.quick.check(probe);
                } catch (ActivityFailure e) {
                    health = new HealthResult(false, List.of(), 0, 0, ACTION_ATTEMPTS);
                    log.warn("watch probe failed: {}", rootMessage(e));
                }
            }
            if (!health.healthy()) {
                timeline.end(index, now(), probes, StepOutcome.FAILED, "relapse at +"
                        + ReportFormatter.clock(now() - startedAt) + " after " + probes + " probe(s): "
                        + health.summary());
                return false;
            }
        }
        timeline.end(index, now(), probes, StepOutcome.OK,
                probes + " probe(s) healthy over " + Durations.format(settings.watchWindow()));
        return true;
    }

    // ---- RTO clock ---------------------------------------------------------------------------------------------

    /** (Re)arms the RTO timer for what is left of the budget; a relapse after the deadline is a breach at once. */
    private void armRtoTimer() {
        if (breached) {
            return;
        }
        long remaining = startedAt + rtoMillis - now();
        if (remaining <= 0) {
            markBreach();
            return;
        }
        Async.procedure(() -> {
            boolean settled = Workflow.await(Duration.ofMillis(remaining),
                    () -> restoredAt != null || outcome != Outcome.RUNNING);
            if (!settled && !breached) {
                markBreach();
            }
        });
    }

    private void markBreach() {
        breached = true;
        breachedAt = now();
        timeline.mark("rto-breached", round, breachedAt, StepOutcome.BREACH,
                "RTO of " + Durations.format(Duration.ofMillis(rtoMillis)) + " spent; recovery continues");
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.RTO_BREACHED.valueSet(true));
        log.warn("RTO breached for plan {}", planName);
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private RecoveryPlan loadPlan() {
        // The new stub makes one attempt per call, so the step runner's count of calls is the attempt count.
        boolean once = retriesLostWorkers();
        PlanActivities stub = once ? plansOnce : plans;
        try {
            return call("load-plan", once ? 1 : 5, () -> stub.loadPlan(planName), p -> 1, p -> StepOutcome.OK,
                    p -> "RTO " + Durations.format(p.rto().service()) + ", " + p.service().containers().size()
                            + " container(s), " + p.service().healthChecks().size() + " health check(s)");
        } catch (WorkerLost e) {
            return null;
        }
    }

    private boolean act(String step, Supplier<ActionResult> action) {
        return act(step, ACTION_ATTEMPTS, action);
    }

    private boolean act(String step, int maxAttempts, Supplier<ActionResult> action) {
        ActionResult r = call(step, maxAttempts, action, ActionResult::attempt, a -> StepOutcome.OK,
                ActionResult::detail);
        return r != null;
    }

    /**
     * Runs one activity as a timeline step. A failed activity (retries spent) is recorded and answered with null,
     * so the ladder moves on to the next level instead of failing the workflow. (Version 1) A call that failed only
     * because its worker died is called again while the RTO budget lasts; if the workers keep dying, the step is
     * recorded and {@link WorkerLost} stops the escalation: a dead worker is not evidence that the action failed.
     *
     * @param maxAttempts the stub's RetryOptions maximumAttempts
     */
    private <T> T call(String step, int maxAttempts, Supplier<T> activity,
            java.util.function.ToIntFunction<T> attempts, java.util.function.Function<T, StepOutcome> outcomeOf,
            java.util.function.Function<T, String> detail) {
        int index = timeline.begin(step, round, now());
        if (!retriesLostWorkers()) {
            try {
                T result = activity.get();
                timeline.end(index, now(), attempts.applyAsInt(result), outcomeOf.apply(result),
                        detail.apply(result));
                return result;
            } catch (ActivityFailure e) {
                timeline.end(index, now(), LostWorkerRetry.attemptsOf(e, maxAttempts), StepOutcome.FAILED,
                        rootMessage(e));
                log.warn("step {} failed: {}", step, rootMessage(e));
                return null;
            }
        }
        long deadline = rtoMillis > 0 ? startedAt + rtoMillis : Long.MAX_VALUE;
        LostWorkerRetry.Result<T> r = LostWorkerRetry.call(activity, attempts, maxAttempts, deadline);
        if (r.failure() == null) {
            T result = r.value();
            timeline.end(index, now(), r.attempts(), outcomeOf.apply(result), detail.apply(result) + r.callsNote());
            return result;
        }
        String failed = r.failureDetail(rootMessage(r.failure()));
        timeline.end(index, now(), r.attempts(), StepOutcome.FAILED, failed);
        log.warn("step {} failed: {}", step, failed);
        if (r.workerLost()) {
            throw new WorkerLost("step " + step + ": " + failed);
        }
        return null;
    }

    /** Version 1 of {@link #LOST_WORKER_IS_NOT_A_FAILURE}, decided once, before the first step. */
    private boolean retriesLostWorkers() {
        if (lostWorkerRetries == null) {
            lostWorkerRetries = Workflow.getVersion(LOST_WORKER_IS_NOT_A_FAILURE, Workflow.DEFAULT_VERSION, 1) >= 1;
        }
        return lostWorkerRetries;
    }

    /** A step's workers kept dying: nothing was observed, so nothing may be concluded from it. */
    private static final class WorkerLost extends RuntimeException {
        WorkerLost(String message) {
            super(message, null, false, false);
        }
    }

    private static String rootMessage(TemporalFailure e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApplicationFailure af) {
            return af.getOriginalMessage();
        }
        return t.getMessage();
    }

    private String recoveryKey(String level) {
        return workflowId + "/" + round + "/" + level;
    }

    private String failureSummary() {
        if (!stoppedBecause.isEmpty()) {
            return stoppedBecause;
        }
        return relapses > 0
                ? "Not recovered: the service relapsed " + relapses + " time(s) during the watch window."
                : "Not recovered: restart, recreate and rebuild did not make the service healthy.";
    }

    private RecoveryReport finish(ServiceRecoveryRequest request, Outcome result, String summary) {
        outcome = result;
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.OUTCOME.valueSet(result.name()));
        long finishedAt = now();
        Long rtoActual = result == Outcome.RECOVERED && restoredAt != null ? restoredAt - startedAt : null;
        RecoveryReport report = new RecoveryReport(workflowId, SCENARIO, planName, request.reason(), result,
                startedAt, finishedAt, rtoMillis, rtoActual, breached, breachedAt, relapses, timeline.snapshot(),
                summary);
        // Version 1: a recovery that did not recover is a FAILED execution carrying its report, as in Scenarios
        // 2-4; before it, such a run completed with outcome FAILED.
        if (result == Outcome.FAILED
                && Workflow.getVersion(FAIL_WHEN_NOT_RECOVERED, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throw RunFailure.of(RunFailure.RECOVERY_FAILED, summary, report);
        }
        return report;
    }

    private static long now() {
        return Workflow.currentTimeMillis();
    }

    static RetryOptions retries(int maxAttempts) {
        return RetryOptions.newBuilder()
                .setInitialInterval(Duration.ofSeconds(1))
                .setBackoffCoefficient(2)
                .setMaximumInterval(Duration.ofSeconds(10))
                .setMaximumAttempts(maxAttempts)
                .build();
    }

    /** Activity stubs whose timeouts follow the plan. */
    private static final class ServiceActions {
        final ServiceActivities quick;
        final ServiceActivities acting;
        final ServiceActivities waiting;

        ServiceActions(RecoveryPlan plan, boolean sizedToTheirWork) {
            RecoverySettings s = plan.recovery();
            int containers = plan.service().containers().size();
            // Short reads (assess, one round of checks). Version 1: they heartbeat while they wait on the engine
            // or a check, so a dead worker costs seconds; the checks run in parallel, so the longest one bounds a
            // round. Before it: no heartbeat, a minute per attempt.
            quick = Workflow.newActivityStub(ServiceActivities.class, sizedToTheirWork
                    ? ActivityOptions.newBuilder()
                            .setStartToCloseTimeout(Duration.ofSeconds(15).plus(longestCheck(plan.service())))
                            .setHeartbeatTimeout(HEARTBEAT)
                            .setRetryOptions(retries(ACTION_ATTEMPTS))
                            .build()
                    : ActivityOptions.newBuilder()
                            .setStartToCloseTimeout(Duration.ofMinutes(1))
                            .setRetryOptions(retries(ACTION_ATTEMPTS))
                            .build());
            // Stopping waits up to stopTimeout per container before the engine kills it.
            acting = Workflow.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(s.stopTimeout().multipliedBy(containers).plusMinutes(2))
                    .setHeartbeatTimeout(Duration.ofSeconds(5))
                    .setRetryOptions(retries(ACTION_ATTEMPTS))
                    .build());
            waiting = Workflow.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(s.waitHealthy().plusMinutes(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(5))
                    .setRetryOptions(retries(ACTION_ATTEMPTS))
                    .build());
        }

        ServiceActivities rebuildStub(CommandStep step) {
            return Workflow.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(step.timeout().plusMinutes(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(retries(REBUILD_ATTEMPTS))
                    .build());
        }

        private static Duration longestCheck(ServiceSpec service) {
            Duration longest = Duration.ZERO;
            List<HealthCheck> all = new ArrayList<>(service.healthChecks());
            all.addAll(service.smoke());
            for (HealthCheck c : all) {
                Duration t = c.http() != null ? c.http().timeout() : c.exec().timeout();
                if (t != null && t.compareTo(longest) > 0) {
                    longest = t;
                }
            }
            return longest;
        }
    }
}
