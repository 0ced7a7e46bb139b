package io.romadr.scenario.servicefailure;

import io.romadr.plan.CommandStep;
import io.romadr.plan.Durations;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.report.TriggerNotice;
import io.romadr.runtime.IncidentClock;
import io.romadr.runtime.Notifier;
import io.romadr.runtime.RecoveryNotices;
import io.romadr.runtime.RtoClock;
import io.romadr.runtime.RunStatus;
import io.romadr.runtime.Steps;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
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
    /**
     * Version 1: the watch window is one heartbeating activity ({@link ServiceActivities#watch}) instead of a timer
     * and a check activity per probe: a few history events instead of two per probe.
     */
    static final String WATCH_IN_ONE_ACTIVITY = "watch-in-one-activity";
    /**
     * Version 1: the steps that only observe and are cheap to repeat (load-plan, assess, the one-round checks and
     * verify) run as local activities, inside the workflow task that asks for them, so the way to the restart
     * costs no activity dispatch per step (issue 19's time to healthy); the acting steps, wait-healthy and the watch
     * stay activities that heartbeat.
     */
    static final String OBSERVING_STEPS_IN_TASK = "observing-steps-in-task";
    /**
     * The acting and waiting steps heartbeat while they wait on the engine or a check; a dead worker is noticed after
     * this. (Before {@link #OBSERVING_STEPS_IN_TASK}, the short reads did too.)
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** A failed step is recorded and the ladder moves on to its next level; steps are numbered by round. */
    private final Steps steps = Steps.recordingFailures(ACTION_ATTEMPTS);
    private String workflowId;
    private String planName = "";
    /** Where the RTO clock starts: the incident ({@link IncidentClock}), or the first step before it. */
    private long startedAt;
    private IncidentTimes incident;
    /** The worker's first workflow task: lost workers are called again within the RTO budget from here. */
    private long firstStepAt;
    private long rtoMillis;
    private final RunStatus status = new RunStatus();
    private RtoClock rto;
    private Long restoredAt;
    private String recoveredBy = "";
    private int relapses;
    /** Why the escalation stopped short of its ladder, when that is not "nothing healed". */
    private String stoppedBecause = "";
    /** What the recovery tells the plan's contacts; nothing before the plan is loaded. */
    private RecoveryNotices notices;
    private TriggerNotice firstTrigger;

    @Override
    public ServiceRecoveryReport recover(ServiceRecoveryRequest request) {
        workflowId = Workflow.getInfo().getWorkflowId();
        firstStepAt = Workflow.currentTimeMillis();
        incident = IncidentClock.begin(request);
        startedAt = IncidentClock.start(incident, firstStepAt);
        planName = request.plan() == null ? "" : request.plan();
        Notifier notifier = new Notifier(steps, workflowId, startedAt);
        notices = new RecoveryNotices(notifier, SCENARIO);
        notices.trigger(firstTrigger);
        rto = new RtoClock(steps, startedAt, notifier);
        status.start(SCENARIO, planName, true);

        boolean inTask = Workflow.getVersion(OBSERVING_STEPS_IN_TASK, Workflow.DEFAULT_VERSION, 1) >= 1;
        RecoveryPlan plan = loadPlan(inTask);
        if (plan == null) {
            List<StepRecord> done = steps.snapshot();
            return finish(request, Outcome.FAILED, "Could not load plan \"" + planName + "\": "
                    + done.get(done.size() - 1).detail() + "; nothing was changed.");
        }
        rtoMillis = plan.rto().service().toMillis();
        if (rtoMillis > 0) {
            // From the first step: a recovery that waited for a worker still calls a lost worker's step again.
            steps.budget(firstStepAt + rtoMillis);
        }
        notices.plan(plan, rtoMillis);
        rto.start(plan.rto().service(), () -> restoredAt != null || !status.running());
        notices.started(rtoMillis, request.requestedBy(), request.reason());

        RecoverySettings settings = plan.recovery();
        ServiceStubs actions = new ServiceStubs(steps, plan, steps.retriesLostWorkers(), inTask);
        while (true) {
            steps.nextRound();
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
            rto.arm();
        }
        return finish(request, Outcome.RECOVERED, "Recovered by " + recoveredBy + " in "
                + ReportFormatter.clock(restoredAt - startedAt) + " against an RTO of "
                + ReportFormatter.clock(rtoMillis) + (rto.breached() ? " (RTO BREACHED)." : " (RTO met).")
                + (relapses > 0 ? " Relapsed " + relapses + " time(s) during the watch window." : ""));
    }

    @Override
    public Progress progress() {
        return new Progress(SCENARIO, planName, status.outcome(), steps.current(), steps.round(), startedAt, rtoMillis,
                rto != null && rto.breached(),
                restoredAt, steps.snapshot(), incident);
    }

    @Override
    public void triggerNotice(TriggerNotice notice) {
        steps.mark(notice.step(), StepOutcome.OK, notice.line());
        trigger(notice);
    }

    /** The first trigger says what started the recovery (its recovery-started notice names it). */
    private void trigger(TriggerNotice notice) {
        if (firstTrigger == null) {
            firstTrigger = notice;
        }
        if (notices != null) {
            notices.trigger(notice);
        }
    }

    @Override
    public void alertNotice(AlertNotice notice) {
        steps.mark("alert-" + (notice.status() == null ? "notice" : notice.status()), StepOutcome.OK,
                notice.source() + " " + notice.fingerprint()
                        + (notice.at() == null || notice.at().isBlank() ? "" : " at " + notice.at())
                        + (notice.summary() == null || notice.summary().isBlank() ? "" : ": " + notice.summary()));
        trigger(new TriggerNotice(notice.source(), notice.source(), notice.fingerprint(), notice.status(), notice.at(),
                notice.summary()));
    }

    // ---- the escalation ladder -------------------------------------------------------------------------------

    /** Returns true once the service passes its health checks and smoke checks. */
    private boolean escalate(RecoveryPlan plan, ServiceStubs actions) {
        try {
            return climb(plan, actions);
        } catch (Steps.WorkerLost e) {
            // No step observed anything: escalating (or acting on more containers) would be a guess.
            stoppedBecause = "Not recovered: " + e.getMessage() + "; stopped there instead of escalating on no "
                    + "evidence.";
            return false;
        }
    }

    private boolean climb(RecoveryPlan plan, ServiceStubs actions) {
        ServiceSpec service = plan.service();
        RecoverySettings settings = plan.recovery();

        Assessment assessment = steps.check("assess", ACTION_ATTEMPTS, () -> actions.quick.assess(service),
                Assessment::summary, Assessment::attempt, a -> true);
        if (assessment == null && steps.retriesLostWorkers()) {
            // Without an assessment nobody knows which containers are broken; "all of them" would restart the
            // healthy neighbours too.
            steps.mark("restart", StepOutcome.SKIPPED, "no assessment of the containers: "
                    + "nothing is acted on rather than everything");
            stoppedBecause = "Not recovered: the assess step has no result, so no container was acted on.";
            return false;
        }
        if (assessment != null && !assessment.engineReachable()) {
            // Nothing below can work without the engine; the activities' own retries have already been spent.
            steps.mark("engine", StepOutcome.FAILED, "Docker engine unreachable");
            return false;
        }
        if (assessment != null && assessment.allRunning()) {
            HealthResult health = steps.check("check", ACTION_ATTEMPTS, () -> actions.quick.check(HealthRequest.once(
                    service.composeProject(), service.healthChecks())),
                    HealthResult::summary, HealthResult::attempt, HealthResult::healthy);
            if (health != null && health.healthy() && verify(service, actions)) {
                recoveredBy = "no action (already healthy)";
                return true;
            }
            if (health == null && steps.retriesLostWorkers()) {
                // Everything runs and no check result says otherwise: restarting all of it would be a guess.
                steps.mark("restart", StepOutcome.SKIPPED, "no health check result: nothing is "
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
        long restartSince = steps.retriesLostWorkers() ? now() : 0;
        String restartMissed;
        if (assessment != null && !assessment.missingServices().isEmpty()) {
            restartMissed = "containers missing for " + assessment.missingServices()
                    + "; restart cannot bring them back";
            steps.mark("restart", StepOutcome.SKIPPED, restartMissed);
        } else if (act("restart", () -> actions.acting.restart(
                new RestartRequest(service, settings.stopTimeout(), targets, restartSince)))
                && healthyAfter("restart", service, settings, actions)) {
            return true;
        } else {
            restartMissed = "restart did not make the service healthy";
        }
        notices.escalated(steps.round(), "restart", "recreate", restartMissed);

        // Level 2: recreate from the containers' own configuration.
        if (act("recreate", () -> actions.acting.recreate(
                new RecreateRequest(service, settings.stopTimeout(), recoveryKey("recreate"), targets)))
                && healthyAfter("recreate", service, settings, actions)) {
            return true;
        }

        // Level 3: the plan's rebuild steps, then recreate on what they built.
        if (service.rebuild().isEmpty()) {
            steps.mark("rebuild", StepOutcome.SKIPPED, "the plan has no rebuild steps");
            return false;
        }
        notices.escalated(steps.round(), "recreate", "rebuild", "recreate did not make the service healthy");
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
            ServiceStubs actions) {
        HealthResult health = steps.check("wait-healthy", ACTION_ATTEMPTS,
                () -> actions.waiting.waitHealthy(new HealthRequest(
                        service.composeProject(), service.healthChecks(), settings.waitHealthy(),
                        settings.pollInterval())),
                h -> (h.healthy() ? "healthy after " : "still unhealthy after ")
                        + ReportFormatter.seconds(h.waitedMillis()) + ": " + h.summary(),
                HealthResult::attempt, HealthResult::healthy);
        if (health == null || !health.healthy() || !verify(service, actions)) {
            return false;
        }
        recoveredBy = action;
        return true;
    }

    /** The seed's "Step 4: Verify recovery": every health check and smoke check, once. */
    private boolean verify(ServiceSpec service, ServiceStubs actions) {
        List<HealthCheck> all = new ArrayList<>(service.healthChecks());
        all.addAll(service.smoke());
        HealthResult result = steps.check("verify", ACTION_ATTEMPTS, () -> actions.quick.check(HealthRequest.once(
                service.composeProject(), all)),
                HealthResult::summary, HealthResult::attempt, HealthResult::healthy);
        return result != null && result.healthy();
    }

    /** The seed's "monitor for 15 minutes". Returns false on a relapse; a probe that never ran is not one. */
    private boolean watch(RecoveryPlan plan, ServiceStubs actions) {
        RecoverySettings settings = plan.recovery();
        if (settings.watchWindow().isZero()) {
            return true;
        }
        ServiceSpec service = plan.service();
        int index = steps.begin("watch");
        long end = now() + settings.watchWindow().toMillis();
        boolean oneActivity = Workflow.getVersion(WATCH_IN_ONE_ACTIVITY, Workflow.DEFAULT_VERSION, 1) >= 1;
        int probes = 0;
        while (now() < end) {
            HealthResult health;
            if (oneActivity) {
                // Called again for what is left of the window when its workers kept dying; after the window that is
                // nothing (one look), never a negative timeout, which the server refuses for good.
                health = steps.probe(() -> actions.watcher(service, Duration.ofMillis(Math.max(0, end - now())))
                        .watch(new HealthRequest(service.composeProject(), service.healthChecks(),
                                Duration.ofMillis(Math.max(0, end - now())), settings.watchInterval())),
                        HealthResult::attempt, ACTION_ATTEMPTS, HealthResult::failedAfter);
                probes += health == null ? 0 : health.probes();
            } else {
                Workflow.sleep(Duration.ofMillis(Math.min(settings.watchInterval().toMillis(), end - now())));
                probes++;
                HealthRequest probe = HealthRequest.once(service.composeProject(), service.healthChecks());
                health = steps.probe(() -> actions.quick.check(probe), HealthResult::attempt, ACTION_ATTEMPTS,
                        HealthResult::failedAfter);
            }
            if (health != null && !health.healthy()) {
                steps.end(index, probes, StepOutcome.FAILED, "relapse at +"
                        + ReportFormatter.clock(now() - startedAt) + " after " + probes + " probe(s): "
                        + health.summary());
                return false;
            }
            if (health != null && oneActivity) {
                break; // the activity watched the whole window
            }
        }
        steps.end(index, probes, StepOutcome.OK,
                probes + " probe(s) healthy over " + Durations.format(settings.watchWindow()));
        return true;
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private RecoveryPlan loadPlan(boolean inTask) {
        Function<RecoveryPlan, String> detail = p -> "RTO " + Durations.format(p.rto().service()) + ", "
                + p.service().containers().size() + " container(s), " + p.service().healthChecks().size()
                + " health check(s)";
        try {
            return inTask ? steps.loadPlanInTask(planName, detail) : steps.loadPlan(planName, detail);
        } catch (Steps.WorkerLost e) {
            return null;
        }
    }

    private boolean act(String step, Supplier<ActionResult> action) {
        return act(step, ACTION_ATTEMPTS, action);
    }

    private boolean act(String step, int maxAttempts, Supplier<ActionResult> action) {
        ActionResult r = steps.check(step, maxAttempts, action, ActionResult::detail,
                ActionResult::attempt, a -> true);
        return r != null;
    }

    private String recoveryKey(String level) {
        return workflowId + "/" + steps.round() + "/" + level;
    }

    private String failureSummary() {
        if (!stoppedBecause.isEmpty()) {
            return stoppedBecause;
        }
        return relapses > 0
                ? "Not recovered: the service relapsed " + relapses + " time(s) during the watch window."
                : "Not recovered: restart, recreate and rebuild did not make the service healthy.";
    }

    private ServiceRecoveryReport finish(ServiceRecoveryRequest request, Outcome result, String summary) {
        status.finish(result);
        long finishedAt = now();
        // Told after the outcome is recorded and before the report, whose times the (bounded) wait does not count.
        notices.finished(result, summary);
        Long rtoActual = result == Outcome.RECOVERED && restoredAt != null ? restoredAt - startedAt : null;
        ServiceRecoveryReport report = new ServiceRecoveryReport(workflowId, SCENARIO, planName, request.reason(),
                result,
                startedAt, finishedAt, rtoMillis, rtoActual, rto.breached(), rto.breachedAt(), relapses,
                steps.snapshot(),
                summary, incident);
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
}
