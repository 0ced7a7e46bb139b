package io.romadr.scenario.drill;

import io.romadr.notify.NotifyEvent;
import io.romadr.plan.Durations;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceContainer;
import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.ScenarioNames;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.runtime.IncidentClock;
import io.romadr.runtime.Notifier;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.romadr.scenario.drill.DrillReport.ActionItem;
import io.romadr.scenario.drill.DrillReport.SignOffRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.RomaWorkflows;
import io.romadr.temporal.Scenario;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ChildWorkflowStub;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One drill, following the seed's checklist. Pre-drill: load the plan, tell the team (drill-started), document the
 * state, set the success criteria and the roles. During: inject the fault, start the timer, run the scenario's
 * workflow as a child (requested by "drill", so it sends no recovery-started and pages nobody); notes arrive any time.
 * Post-drill: stop the timer, verify independently, collect action items and the sign-offs (bounded by the request's
 * sign-off timeout), then the report. A drill whose target does not recover ends with its report (Success: No), never
 * a hang. An alerting drill (Scenario 1) starts no recovery: it follows the one its alert starts through the worker
 * host's webhook, with the delays measured. Deterministic, no I/O.
 */
public class DrillWorkflowImpl implements DrillWorkflow {
    /** The roles that sign a drill off, in the template's order. */
    static final List<String> SIGN_OFF_ROLES = List.of("operator", "observer", "manager");
    static final Duration DEFAULT_SIGN_OFF_TIMEOUT = Duration.ofHours(24);
    static final int ATTEMPTS = 3;
    /** The scenarios in the seed's order. */
    static final List<String> SCENARIO_ORDER = List.of("service-failure", "data-corruption", "site-loss",
            "git-loss");
    /** Drills of Scenarios 2-4 (before it, a drill of them was refused at once). */
    static final String ALL_SCENARIOS = "drill-all-scenarios";
    /** The finished report kept in the plan's backup store. */
    static final String STORED_REPORTS = "drill-stored-reports";
    /** Alerting drills: the recovery the monitoring starts, followed instead of a child the drill starts. */
    static final String ALERTING = "drill-alerting";
    /** The sources of a trigger that come from the monitoring (the two webhooks of the worker host). */
    static final List<String> ALERT_SOURCES = List.of("alertmanager", "webhook");
    /** An alerting drill's wait for the recovery it follows: a Scenario 1 recovery ends within hours. */
    static final Duration RECOVERY_WAIT = Duration.ofHours(6);
    static final Duration ALERTING_HEARTBEAT = Duration.ofSeconds(30);

    private final Steps steps = Steps.failingRunByActivityType(Map.of(DrillActivities.class, ATTEMPTS));
    private final String workflowId = Workflow.getInfo().getWorkflowId();
    private final long startedAt = Workflow.currentTimeMillis();
    private final Notifier notifier = new Notifier(steps, workflowId, startedAt);

    private DrillRequest request;
    /** The plan drilled, once loaded and fit for the scenario. */
    private RecoveryPlan plan;
    private String storedAt = "";
    private String objective = "";
    private long rtoTargetMillis;
    private Long rtoActualMillis;
    private Boolean success;
    private long finishedAt;
    private long faultAt;
    private String dataLoss = "";
    private String summary = "";
    private boolean finalReport;
    private DrillState stateBefore = new DrillState(null, null, null);
    private List<StepRecord> recoverySteps = List.of();
    /** An alerting drill's measured delays (fault, alert, recovery started). */
    private final List<TimelineRow> alertingRows = new ArrayList<>();
    /** The followed recovery's parts, fault to healthy (a recovery that records them): see {@link #recoveryParts}. */
    private final List<TimelineRow> partRows = new ArrayList<>();
    /** An alerting drill's recovery, once found; empty: the drill's own child. */
    private String followedRecoveryId = "";
    /** Why the alerting path failed the drill; empty when it worked or was not tested. */
    private String alertingFailure = "";
    private final List<String> issues = new ArrayList<>();
    private final List<ActionItem> actionItems = new ArrayList<>();
    private final Map<String, SignOffRecord> signOffs = new LinkedHashMap<>();

    @Override
    public DrillReport drill(DrillRequest drillRequest) {
        request = drillRequest;
        notifier.about("drill", request.scenario());
        RecoveryPlan plan;
        try {
            plan = steps.loadPlan(request.plan());
        } catch (Steps.Failed e) {
            issues.add("The drill could not start: " + e.getMessage());
            return finish("Not run: " + e.getMessage());
        }
        Scenario scenario = Scenario.byId(request.scenario()).orElse(null);
        boolean allScenarios = Workflow.getVersion(ALL_SCENARIOS, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (scenario == null || (!allScenarios && !scenario.id().equals(ServiceRecoveryWorkflow.SCENARIO))) {
            steps.mark("scenario-check", StepOutcome.FAILED,
                    "no drill for scenario \"" + request.scenario() + "\"");
            issues.add("The drill could not start: roma-dr has no fault injection for scenario \""
                    + request.scenario() + "\" (known: " + String.join(", ", SCENARIO_ORDER) + ").");
            return finish("Not run: no fault injection for scenario \"" + request.scenario() + "\".");
        }
        if (request.alertingDrill() && !scenario.id().equals(ServiceRecoveryWorkflow.SCENARIO)) {
            steps.mark("scenario-check", StepOutcome.FAILED, "no alerting drill for scenario \""
                    + request.scenario() + "\"");
            issues.add("The drill could not start: alerting drills exist for " + ServiceRecoveryWorkflow.SCENARIO
                    + " only (its alerts start its recovery through the worker host's webhooks).");
            return finish("Not run: no alerting drill for scenario \"" + request.scenario() + "\".");
        }
        String missing = missingSection(plan, request.scenario());
        if (missing != null) {
            steps.mark("scenario-check", StepOutcome.FAILED, missing);
            issues.add("The drill could not start: " + missing + ".");
            return finish("Not run: " + missing + ".");
        }
        this.plan = plan;
        preDrill(plan);
        ScenarioReport recovery = during(scenario, plan);
        postDrill(plan, recovery);
        return finish(summary(recovery));
    }

    // ---- pre-drill --------------------------------------------------------------------------------------------------

    private void preDrill(RecoveryPlan plan) {
        Duration planned = DrillFaults.rtoTarget(request.scenario(), plan);
        rtoTargetMillis = request.rtoTarget() != null && !request.rtoTarget().isZero()
                ? request.rtoTarget().toMillis()
                : (planned != null ? planned : plan.rto().service()).toMillis();
        objective = blank(request.objective()) ? defaultObjective(plan) : request.objective();
        notifier.plan(plan, rtoTargetMillis);
        notifier.drill();
        if (notifier.routes(NotifyEvent.DRILL_STARTED)) {
            notifier.send(NotifyEvent.DRILL_STARTED, "roma-dr: drill: " + scenarioName() + " of plan " + plan.name()
                    + " starts",
                    "Coordinator " + role(request.coordinator()) + ", operator "
                            + role(request.operator()) + ", observer " + role(request.observer()) + ". Objective: "
                            + objective + "." + (request.alertingDrill()
                                    ? " An alerting drill: the drill starts no recovery, the alert does, and that"
                                            + " recovery tells and pages as in an outage."
                                    : ""),
                    "Follow it: roma-dr drills report " + workflowId);
        }
        try {
            DrillState state = steps.run("document-state", () -> drillStub(Duration.ofMinutes(2)).documentState(
                    new DocumentStateRequest(request.scenario(), plan)),
                    s -> s.lines().size() + " item(s) documented");
            stateBefore = state;
        } catch (Steps.Failed e) {
            issues.add("The state before the drill could not be documented: " + e.getMessage());
        }
        steps.mark("success-criteria", StepOutcome.OK, objective);
        steps.mark("roles", StepOutcome.OK, "coordinator " + role(request.coordinator()) + ", operator "
                + role(request.operator()) + ", observer " + role(request.observer()) + ", manager "
                + role(request.manager()));
    }

    // ---- during -----------------------------------------------------------------------------------------------------

    /** Injects the fault, starts the timer and runs the recovery; null when nothing was recovered. */
    private ScenarioReport during(Scenario scenario, RecoveryPlan plan) {
        Fault fault = fault(plan);
        if (fault.problem() != null) {
            steps.mark("inject-fault", StepOutcome.FAILED, fault.problem());
            issues.add("No fault injected: " + fault.problem());
            return null;
        }
        long since = Workflow.currentTimeMillis();
        FaultResult injected;
        try {
            // A stop waits up to the plan's stopTimeout; a worker lost meanwhile is noticed 30 s after it.
            injected = steps.run("inject-fault", () -> drillStub(
                    plan.recovery().stopTimeout().plusSeconds(30)).injectFault(
                            new FaultRequest(request.scenario(), plan, fault.action(), fault.target(), since)),
                    FaultResult::detail, FaultResult::attempt);
        } catch (Steps.Failed e) {
            issues.add("The fault could not be injected, so nothing was recovered: " + e.getMessage());
            return null;
        }
        faultAt = Workflow.currentTimeMillis();
        if (injected.downBefore()) {
            issues.add("The target was already down before the drill, so the drill broke nothing: "
                    + injected.detail());
        }
        steps.mark("start-timer", StepOutcome.OK, "RTO timer started at the fault: " + injected.detail());
        // Only a request that asks for it reaches the version marker: drills recorded before it never did.
        if (request.alertingDrill() && Workflow.getVersion(ALERTING, Workflow.DEFAULT_VERSION, 1) >= 1) {
            return alertedRecovery(scenario, plan, since, fault);
        }

        ChildWorkflowStub child = Workflow.newUntypedChildWorkflowStub(scenario.type(),
                ChildWorkflowOptions.newBuilder().setWorkflowId(recoveryWorkflowId()).build());
        Class<? extends ScenarioReport> type = RomaWorkflows.report(scenario.type(), false);
        int index = steps.begin("recovery");
        ScenarioReport report;
        try {
            report = child.execute(type, scenario.request(plan.name(), "drill", "drill " + workflowId + ": "
                    + injected.detail(), faultDetected()));
        } catch (ChildWorkflowFailure e) {
            report = e.getCause() instanceof ApplicationFailure af && af.getDetails() != null
                    ? reportOf(af, type)
                    : null;
            if (report == null) {
                steps.end(index, StepOutcome.FAILED, Steps.message(e));
                issues.add("The recovery " + recoveryWorkflowId() + " failed without a report: " + Steps.message(e));
                return null;
            }
        }
        recoverySteps = report.timeline();
        steps.end(index, report.outcome() == Outcome.RECOVERED ? StepOutcome.OK : StepOutcome.FAILED,
                report.summary());
        return report;
    }

    /**
     * An alerting drill: the drill starts no recovery. It waits (bounded by the request's alert timeout) for a run of
     * the recovery's one workflow ID started after the fault, checks that an alert started it, measures the delays
     * (fault, alert firing, recovery started) and follows that run to its end. Nothing started in time fails the
     * drill, and the drill still starts no recovery: what failed is the alerting, and the issue says how to recover.
     */
    private ScenarioReport alertedRecovery(Scenario scenario, RecoveryPlan plan, long since, Fault fault) {
        Duration wait = request.alertWait();
        String expected = RecoveryStarter.workflowId(scenario.id(), plan.name());
        TriggeredRecoveryActivities.TriggeredRecovery found;
        try {
            found = steps.run("await-alert", ATTEMPTS, () -> alertingStub(wait.plus(Duration.ofMinutes(1)))
                    .awaitTriggeredRecovery(new TriggeredRecoveryActivities.AwaitTriggerRequest(plan.name(),
                            scenario.id(), since, faultAt + wait.toMillis())),
                    t -> t.found()
                            ? "recovery " + t.workflowId() + " started by " + t.source()
                                    + (blank(t.summary()) ? "" : " (" + t.summary() + ")")
                            : "no recovery " + expected + " started within " + Durations.format(wait));
        } catch (Steps.Failed e) {
            alertingFailure = "the drill could not watch for the recovery: " + e.getMessage();
            issues.add("The alerting could not be tested: " + alertingFailure);
            return null;
        }
        if (!found.found()) {
            alertingFailure = "the alert did not fire / the webhook did not start a recovery within "
                    + Durations.format(wait);
            issues.add("The alert did not fire / the webhook did not start a recovery within "
                    + Durations.format(wait) + " of the fault (no run of " + expected + " started after it"
                    + (blank(found.workflowId())
                            ? ""
                            : "; one started before the fault was still running, and an alert attaches to that one")
                    + "). The"
                    + " drill starts no recovery itself in an alerting drill, so " + fault.target()
                    + " is left down: recover it with `roma-dr recover service --plan " + plan.name() + "`.");
            return null;
        }
        followedRecoveryId = found.workflowId();
        measureDelays(since, found);
        if (!ALERT_SOURCES.contains(found.source())) {
            alertingFailure = "recovery " + found.workflowId() + " was started by " + found.source()
                    + ", not by an alert";
            issues.add("The recovery " + found.workflowId() + " was started by \"" + found.source()
                    + "\", not by an alert through the worker host's webhooks: the alerting path was not shown to"
                    + " work.");
        }
        int index = steps.begin("recovery");
        ServiceRecoveryReport report;
        try {
            report = alertingStub(RECOVERY_WAIT).awaitServiceRecoveryReport(
                    new TriggeredRecoveryActivities.AwaitReportRequest(found.workflowId(), found.runId()));
        } catch (ActivityFailure e) {
            steps.end(index, StepOutcome.FAILED, Steps.message(e));
            issues.add("The recovery " + found.workflowId() + " ended without a report: " + Steps.message(e));
            return null;
        }
        recoverySteps = report.timeline();
        steps.end(index, report.outcome() == Outcome.RECOVERED ? StepOutcome.OK : StepOutcome.FAILED,
                report.summary());
        return report;
    }

    /**
     * The alerting drill's three delays, as timeline rows (0 and a note when a clock disagrees). The fault is taken
     * at {@code since}, when the drill began injecting it: the fault itself happens during that call, and an alert
     * can fire before the call has returned.
     */
    private void measureDelays(long since, TriggeredRecoveryActivities.TriggeredRecovery found) {
        String alert = blank(found.summary()) ? "the alert" : found.summary();
        if (found.alertAtMillis() > 0) {
            alertingRows.add(delay(since, found.alertAtMillis(), "fault -> alert firing",
                    alert + " firing at " + found.alertAt()));
            alertingRows.add(delay(found.alertAtMillis(), found.startedAt(), "alert -> recovery started",
                    found.source() + " started " + found.workflowId()));
        } else {
            issues.add("The recovery's trigger (" + found.source() + ") did not say when the alert fired ("
                    + (blank(found.alertAt()) ? "no time" : "\"" + found.alertAt() + "\"")
                    + "): only the delay from the fault to the recovery was measured.");
        }
        alertingRows.add(delay(since, found.startedAt(), "fault -> recovery started",
                found.workflowId() + " started by " + found.source()));
    }

    private TimelineRow delay(long from, long to, String action, String what) {
        long millis = to - from;
        return millis >= 0
                ? new TimelineRow(from - startedAt, millis, "alerting", action, "Success: " + what + ", after "
                        + ReportFormatter.clock(millis))
                : new TimelineRow(from - startedAt, 0, "alerting", action, "Success: " + what + ", "
                        + ReportFormatter.clock(-millis) + " BEFORE (the clocks of the monitoring and of Temporal"
                        + " disagree, or it was already firing)");
    }

    /**
     * The parts of the followed recovery's time as rows: fault to its request (an alerting drill has its own rows
     * for that, fault to alert to request), request to first step (the wait for a worker), first step to healthy.
     * Each part once; the drill's RTO actual is still fault to healthy. Nothing for a recovery without its times.
     */
    private void recoveryParts(ScenarioReport recovery) {
        IncidentTimes t = recovery.incident();
        if (t == null) {
            return;
        }
        if (alertingRows.isEmpty() && faultAt > 0) {
            partRows.add(part(faultAt, t.requestedAt(), "fault -> recovery requested"));
        }
        partRows.add(part(t.requestedAt(), t.firstStepAt(), "recovery requested -> first step (queue wait)"));
        if (recovery.rtoActualMillis() != null) {
            partRows.add(part(t.firstStepAt(), recovery.startedAt() + recovery.rtoActualMillis(),
                    "first step -> healthy"));
        }
    }

    private TimelineRow part(long from, long to, String action) {
        long millis = Math.max(0, to - from);
        return new TimelineRow(from - startedAt, millis, "recovery", action, "Success: " + ReportFormatter.clock(
                millis));
    }

    private TriggeredRecoveryActivities alertingStub(Duration startToClose) {
        return steps.stub(TriggeredRecoveryActivities.class, startToClose, ALERTING_HEARTBEAT, Retries.of(ATTEMPTS));
    }

    // ---- post-drill -------------------------------------------------------------------------------------------------

    private void postDrill(RecoveryPlan plan, ScenarioReport recovery) {
        long stopped = Workflow.currentTimeMillis();
        boolean recovered = recovery != null && recovery.outcome() == Outcome.RECOVERED
                && recovery.rtoActualMillis() != null;
        if (recovered) {
            rtoActualMillis = recovery.startedAt() + recovery.rtoActualMillis() - faultAt;
        }
        if (recovery != null) {
            recoveryParts(recovery);
        }
        if (faultAt > 0) {
            steps.mark("stop-timer", StepOutcome.OK, "total time " + ReportFormatter.clock(stopped - faultAt)
                    + (rtoActualMillis == null
                            ? ", not recovered"
                            : ", recovered after " + ReportFormatter.clock(rtoActualMillis)));
        }
        dataLoss = recovered ? "None" : "Not known: the " + what() + " was not recovered";
        if (recovery != null) {
            for (StepRecord s : recovery.timeline()) {
                if (s.outcome() == StepOutcome.FAILED) {
                    issues.add("Recovery step " + s.step() + " failed" + (blank(s.detail()) ? "" : ": " + s.detail()));
                }
            }
            if (!recovered) {
                issues.add("The " + what() + " was not recovered: " + recovery.summary());
            }
        }
        if (rtoActualMillis != null && rtoActualMillis > rtoTargetMillis) {
            issues.add("RTO target missed: recovered after " + ReportFormatter.clock(rtoActualMillis)
                    + " against a target of " + ReportFormatter.clock(rtoTargetMillis) + ".");
        }
        boolean verified = false;
        if (faultAt > 0) {
            try {
                DrillVerification v = steps.check("verify-recovered", ATTEMPTS,
                        () -> drillStub(Duration.ofMinutes(2)).verifyRecovered(new VerifyRecoveredRequest(
                                request.scenario(), plan, stateBefore)),
                        r -> String.join("; ", r.ok() ? r.checks() : r.problems()), r -> 1, DrillVerification::ok);
                verified = v.ok();
                v.problems().forEach(p -> issues.add("Verification after the recovery: " + p));
                if (recovered && !blank(v.dataLoss())) {
                    dataLoss = v.dataLoss();
                }
            } catch (Steps.Failed e) {
                issues.add("The recovery could not be verified: " + e.getMessage());
            }
        }
        success = recovered && verified && rtoActualMillis <= rtoTargetMillis && alertingFailure.isEmpty();
        awaitSignOffs();
    }

    private void awaitSignOffs() {
        Duration timeout = request.signOffTimeout() == null || request.signOffTimeout().isZero()
                ? DEFAULT_SIGN_OFF_TIMEOUT
                : request.signOffTimeout();
        int index = steps.begin("sign-off");
        Workflow.await(timeout, () -> signOffs.size() == SIGN_OFF_ROLES.size());
        List<String> missing = SIGN_OFF_ROLES.stream().filter(r -> !signOffs.containsKey(r)).toList();
        for (String role : missing) {
            signOffs.put(role, new SignOffRecord(role, "", 0, "not signed within " + Durations.format(timeout)));
        }
        steps.end(index, missing.isEmpty() ? StepOutcome.OK : StepOutcome.FAILED, missing.isEmpty()
                ? "signed off by " + String.join(", ", SIGN_OFF_ROLES)
                : "not signed within " + Durations.format(timeout) + " by " + String.join(", ", missing));
    }

    private String summary(ScenarioReport recovery) {
        String rto = "RTO actual " + (rtoActualMillis == null ? "-" : ReportFormatter.clock(rtoActualMillis))
                + " against a target of " + ReportFormatter.clock(rtoTargetMillis);
        if (Boolean.TRUE.equals(success)) {
            return "Drill passed: the " + what() + " recovered and was verified" + (request.alertingDrill()
                    ? ", started by its alert"
                    : "") + "; " + rto + ".";
        }
        if (!alertingFailure.isEmpty()) {
            return "Drill failed: " + alertingFailure + "; " + rto + ".";
        }
        return "Drill failed: " + (recovery == null
                ? "nothing was recovered"
                : rtoActualMillis == null ? "the " + what() + " did not recover" : "see the issues") + "; " + rto
                + ".";
    }

    private DrillReport finish(String text) {
        if (success == null) {
            success = false;
        }
        summary = text;
        finishedAt = Workflow.currentTimeMillis();
        finalReport = true;
        storeReport();
        DrillReport report = report();
        if (notifier.routes(NotifyEvent.DRILL_FINISHED)) {
            notifier.send(NotifyEvent.DRILL_FINISHED, "roma-dr: drill: " + scenarioName() + " of plan "
                    + request.plan() + (success ? " passed" : " FAILED"), summary,
                    "Read the drill report: "
                            + (storedAt.isEmpty() ? "roma-dr drills report " + workflowId : storedAt));
            notifier.drain(Notifier.DRAIN);
        }
        if (!success) {
            // As every roma-dr run that did not reach its goal: a FAILED execution carrying its report.
            throw RunFailure.of(RunFailure.DRILL_FAILED, summary, report);
        }
        return report;
    }

    // ---- updates and the query ------------------------------------------------------------------------------------

    @Override
    public DrillReport progress() {
        return request == null ? null : report();
    }

    @Override
    public String note(DrillNote note) {
        issues.add(stamp() + " " + note.author().strip() + ": " + note.text().strip());
        return "noted";
    }

    @Override
    public void validateNote(DrillNote note) {
        open();
        require(note != null && !blank(note.text()), "a note needs a text");
        require(!blank(note.author()), "a note needs an author");
    }

    @Override
    public String actionItem(DrillActionItem item) {
        actionItems.add(new ActionItem(item.text().strip(), blank(item.owner())
                ? item.author().strip()
                : item.owner().strip(), false));
        return "action item " + actionItems.size() + " recorded";
    }

    @Override
    public void validateActionItem(DrillActionItem item) {
        open();
        require(item != null && !blank(item.text()), "an action item needs a text");
        require(!blank(item.author()) || !blank(item.owner()), "an action item needs an author or an owner");
    }

    @Override
    public String signOff(DrillSignOff signOff) {
        String role = signOff.role().strip();
        SignOffRecord before = signOffs.get(role);
        if (before != null) {
            return role + " already signed off by " + before.name();
        }
        signOffs.put(role, new SignOffRecord(role, signOff.name().strip(), Workflow.currentTimeMillis(),
                signOff.comment() == null ? "" : signOff.comment().strip()));
        return "signed off as " + role;
    }

    @Override
    public void validateSignOff(DrillSignOff signOff) {
        open();
        require(signOff != null && signOff.role() != null && SIGN_OFF_ROLES.contains(signOff.role().strip()),
                "the role must be one of " + SIGN_OFF_ROLES);
        require(!blank(signOff.name()), "a sign-off needs the name of who signs");
    }

    private void open() {
        require(!finalReport, "the drill's report is final");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    // ---- the report -------------------------------------------------------------------------------------------------

    private DrillReport report() {
        List<TimelineRow> rows = new ArrayList<>();
        for (StepRecord s : steps.snapshot()) {
            rows.add(row(s, phase(s)));
        }
        for (StepRecord s : recoverySteps) {
            rows.add(row(s, "recovery"));
        }
        rows.addAll(alertingRows);
        rows.addAll(partRows);
        rows.sort(Comparator.comparingLong(TimelineRow::atMillis));
        List<SignOffRecord> signed = new ArrayList<>();
        for (String role : SIGN_OFF_ROLES) {
            if (signOffs.containsKey(role)) {
                signed.add(signOffs.get(role));
            }
        }
        return new DrillReport(workflowId, Instant.ofEpochMilli(startedAt).atOffset(ZoneOffset.UTC).toLocalDate()
                .toString(), request.scenario(), scenarioName(), request.plan(), role(request.coordinator()),
                role(request.operator()), role(request.observer()), role(request.manager()), objective,
                finalReport ? success : null, rtoTargetMillis, rtoActualMillis, dataLoss, startedAt,
                finalReport ? finishedAt : 0, rows, issues, actionItems, signed, stateBefore.lines(),
                recoveryWorkflowId(),
                summary);
    }

    private TimelineRow row(StepRecord s, String phase) {
        return new TimelineRow(s.startedAt() - startedAt, s.durationMillis(), phase, s.step(),
                ReportFormatter.result(s));
    }

    private String phase(StepRecord s) {
        return switch (s.step()) {
            case "inject-fault", "start-timer" -> "fault";
            case "await-alert" -> "alerting";
            case "recovery" -> "recovery";
            case "stop-timer", "verify-recovered" -> "verify";
            case "sign-off", "store-report" -> "post-drill";
            // A delivery's line is written when it completes, maybe after the fault: its event says when it was sent.
            case "notify" -> s.detail() != null && s.detail().contains("(" + NotifyEvent.DRILL_STARTED.id())
                    ? "pre-drill"
                    : "post-drill";
            default -> "pre-drill";
        };
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------------

    /**
     * The fault to inject: {@code request.fault()} is one of the scenario's {@link DrillFaults}, optionally
     * ":target" (Scenario 1: the compose service, by default the plan's first; git-loss: the branch).
     */
    record Fault(String action, String target, String problem) {
    }

    private Fault fault(RecoveryPlan plan) {
        List<String> known = DrillFaults.faults(request.scenario());
        String spec = blank(request.fault()) ? known.get(0) : request.fault().strip();
        int colon = spec.indexOf(':');
        String action = colon < 0 ? spec : spec.substring(0, colon);
        String target = colon < 0 ? "" : spec.substring(colon + 1);
        if (!known.contains(action)) {
            return new Fault(action, target, "unknown fault \"" + action + "\" (known: " + known + ")");
        }
        if (!request.scenario().equals(ServiceRecoveryWorkflow.SCENARIO)) {
            return new Fault(action, target, null);
        }
        List<String> services = plan.service().containers().stream().map(ServiceContainer::service).toList();
        if (target.isEmpty()) {
            target = services.get(0);
        }
        if (!services.contains(target)) {
            return new Fault(action, target, "service \"" + target + "\" is not in plan " + plan.name() + " "
                    + services);
        }
        return new Fault(action, target, null);
    }

    /** The plan section the scenario's recovery needs, when the plan lacks it; else null. */
    private static String missingSection(RecoveryPlan plan, String scenario) {
        return switch (scenario) {
            case "data-corruption" -> plan.backup() == null || plan.backup().artifacts() == null
                    ? "plan " + plan.name() + " has no backup.artifacts section, so there is nothing to corrupt"
                    : null;
            case "git-loss" -> plan.backup() == null || plan.backup().git() == null
                    ? "plan " + plan.name() + " has no backup.git section, so there is no git primary to lose"
                    : null;
            case "site-loss" -> plan.site() == null
                    ? "plan " + plan.name() + " has no site section, so a lost site cannot be rebuilt"
                    : null;
            default -> null;
        };
    }

    /** The words of the default objective, per scenario. */
    private String defaultObjective(RecoveryPlan plan) {
        Fault f = fault(plan);
        String within = " within " + Durations.format(Duration.ofMillis(rtoTargetMillis));
        return switch (request.scenario()) {
            case "data-corruption" -> "Corrupted artifacts (" + f.action() + ") detected and repaired from backups"
                    + within + ", every artifact valid again";
            case "site-loss" -> "The site rebuilt from backups on a new host and serving again" + within;
            case "git-loss" -> "The git primary recovered from its backup remotes (" + f.action() + ")" + within
                    + ", every ref as before";
            default -> "Service restored and verified" + within + " after a " + f.action() + " of " + f.target();
        };
    }

    /** What the scenario recovers, for the report's sentences. */
    private String what() {
        return switch (request.scenario()) {
            case "data-corruption" -> "data";
            case "site-loss" -> "site";
            case "git-loss" -> "git primary";
            default -> "service";
        };
    }

    /**
     * Keeps the finished report in the plan's backup store ({@code drills/<plan>/...}), where it outlives the
     * workflow's history; the stored copy is the report as it was just before this step.
     */
    private void storeReport() {
        if (plan == null || Workflow.getVersion(STORED_REPORTS, Workflow.DEFAULT_VERSION, 1) < 1) {
            return;
        }
        if (plan.backup() == null) {
            steps.mark("store-report", StepOutcome.SKIPPED, "plan " + plan.name()
                    + " has no backup store: the report is kept only in the workflow's history");
            return;
        }
        DrillReport before = report();
        try {
            StoredDrillReport stored = steps.run("store-report", () -> drillStub(Duration.ofMinutes(2)).storeReport(
                    new StoreDrillReportRequest(plan.backup().store(), before)), StoredDrillReport::location);
            storedAt = stored.location();
        } catch (Steps.Failed e) {
            issues.add("The report could not be stored in the backup store: " + e.getMessage());
        }
    }

    private DrillActivities drillStub(Duration startToClose) {
        return steps.stub(DrillActivities.class, startToClose, null, Retries.of(ATTEMPTS));
    }

    private static ScenarioReport reportOf(ApplicationFailure failure, Class<? extends ScenarioReport> type) {
        try {
            return failure.getDetails().get(type);
        } catch (RuntimeException notThatReport) {
            return null;
        }
    }

    /**
     * The fault as the recovery's detection time, so its report's parts start at the fault (version 1 of
     * {@link IncidentClock#RTO_FROM_INCIDENT}; before it the recovery was told nothing). The drill's own timer counts
     * from the fault either way.
     */
    private String faultDetected() {
        return Workflow.getVersion(IncidentClock.RTO_FROM_INCIDENT, Workflow.DEFAULT_VERSION, 1) >= 1
                ? Instant.ofEpochMilli(faultAt).toString()
                : null;
    }

    private String recoveryWorkflowId() {
        return followedRecoveryId.isEmpty() ? workflowId + "-recovery" : followedRecoveryId;
    }

    private String scenarioName() {
        return ScenarioNames.of(request.scenario());
    }

    private String stamp() {
        return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString() + " (+"
                + ReportFormatter.clock(Workflow.currentTimeMillis() - startedAt) + ")";
    }

    private static String role(String name) {
        return name == null ? "" : name.strip();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
