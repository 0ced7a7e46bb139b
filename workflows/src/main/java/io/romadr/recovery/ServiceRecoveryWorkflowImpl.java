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
import io.romadr.report.Timeline;
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
    static final String ACT_ON_BROKEN_ONLY = "act-on-broken-containers-only";
    static final String FAIL_WHEN_NOT_RECOVERED = "fail-when-not-recovered";

    private final PlanActivities plans = Workflow.newActivityStub(PlanActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(retries(5))
            .build());

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
        ServiceActions actions = new ServiceActions(plan);
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
        ServiceSpec service = plan.service();
        RecoverySettings settings = plan.recovery();

        Assessment assessment = call("assess", () -> actions.quick.assess(service),
                Assessment::attempt, a -> StepOutcome.OK, Assessment::summary);
        if (assessment != null && !assessment.engineReachable()) {
            // Nothing below can work without the engine; the activities' own retries have already been spent.
            timeline.mark("engine", round, now(), StepOutcome.FAILED, "Docker engine unreachable");
            return false;
        }
        if (assessment != null && assessment.allRunning()) {
            HealthResult health = call("check", () -> actions.quick.check(HealthRequest.once(
                    service.composeProject(), service.healthChecks())),
                    HealthResult::attempt, h -> h.healthy() ? StepOutcome.OK : StepOutcome.FAILED,
                    HealthResult::summary);
            if (health != null && health.healthy() && verify(service, actions)) {
                recoveredBy = "no action (already healthy)";
                return true;
            }
        }

        // Act on the broken containers only, so a healthy neighbour keeps serving. (Version 1; before it, every
        // container of the project was acted on.)
        List<String> targets = Workflow.getVersion(ACT_ON_BROKEN_ONLY, Workflow.DEFAULT_VERSION, 1) == 1
                && assessment != null ? assessment.brokenServices() : List.of();

        // Level 1: restart. A removed container cannot be restarted, so go straight to recreate.
        if (assessment != null && !assessment.missingServices().isEmpty()) {
            timeline.mark("restart", round, now(), StepOutcome.SKIPPED,
                    "containers missing for " + assessment.missingServices() + "; restart cannot bring them back");
        } else if (act("restart", () -> actions.acting.restart(
                new RestartRequest(service, settings.stopTimeout(), targets)))
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
            if (!act("rebuild: " + step.name(), () -> actions.rebuildStub(step).runCommand(step))) {
                return false;
            }
        }
        return act("recreate", () -> actions.acting.recreate(
                new RecreateRequest(service, settings.stopTimeout(), recoveryKey("rebuild"), List.of())))
                && healthyAfter("rebuild", service, settings, actions);
    }

    private boolean healthyAfter(String action, ServiceSpec service, RecoverySettings settings,
            ServiceActions actions) {
        HealthResult health = call("wait-healthy", () -> actions.waiting.waitHealthy(new HealthRequest(
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
        HealthResult result = call("verify", () -> actions.quick.check(HealthRequest.once(
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
            try {
                health = actions.quick.check(HealthRequest.once(service.composeProject(), service.healthChecks()));
            } catch (ActivityFailure e) {
                health = new HealthResult(false, List.of(), 0, 0, ACTION_ATTEMPTS);
                log.warn("watch probe failed: {}", rootMessage(e));
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
        return call("load-plan", () -> plans.loadPlan(planName), p -> 1, p -> StepOutcome.OK,
                p -> "RTO " + Durations.format(p.rto().service()) + ", " + p.service().containers().size()
                        + " container(s), " + p.service().healthChecks().size() + " health check(s)");
    }

    private boolean act(String step, Supplier<ActionResult> action) {
        ActionResult r = call(step, action, ActionResult::attempt, a -> StepOutcome.OK, ActionResult::detail);
        return r != null;
    }

    /**
     * Runs one activity as a timeline step. A failed activity (retries spent) is recorded and answered with null,
     * so the ladder moves on to the next level instead of failing the workflow.
     */
    private <T> T call(String step, Supplier<T> activity, java.util.function.ToIntFunction<T> attempts,
            java.util.function.Function<T, StepOutcome> outcomeOf, java.util.function.Function<T, String> detail) {
        int index = timeline.begin(step, round, now());
        try {
            T result = activity.get();
            timeline.end(index, now(), attempts.applyAsInt(result), outcomeOf.apply(result), detail.apply(result));
            return result;
        } catch (ActivityFailure e) {
            timeline.end(index, now(), attemptsOf(e), StepOutcome.FAILED, rootMessage(e));
            log.warn("step {} failed: {}", step, rootMessage(e));
            return null;
        }
    }

    private static int attemptsOf(ActivityFailure e) {
        return switch (e.getRetryState()) {
            case RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED -> ACTION_ATTEMPTS;
            default -> 1;
        };
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

        ServiceActions(RecoveryPlan plan) {
            RecoverySettings s = plan.recovery();
            int containers = plan.service().containers().size();
            // Short reads (assess, one round of checks): no heartbeat, a short timeout instead.
            quick = Workflow.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
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
                    .setRetryOptions(retries(2))
                    .build());
        }
    }
}
