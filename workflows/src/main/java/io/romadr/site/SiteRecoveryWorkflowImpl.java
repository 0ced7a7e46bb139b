package io.romadr.site;

import io.romadr.report.ApprovalDecision;
import io.romadr.approval.ApprovalGate;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.NewestGoodBackup;
import io.romadr.corruption.ArtifactCheck;
import io.romadr.corruption.DataRecoveryActivities;
import io.romadr.corruption.ValidateArtifactsRequest;
import io.romadr.corruption.ValidateBackupRequest;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.SiteSpec;
import io.romadr.recovery.ActionResult;
import io.romadr.recovery.HealthRequest;
import io.romadr.recovery.HealthResult;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.Steps;
import io.romadr.temporal.LostWorkerRetry;
import io.romadr.temporal.RomaSearchAttributes;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Scenario 3 as a saga: every step is an idempotent activity on the timeline; what must be undone if the recovery
 * does not finish (the new server, the DNS change) is recorded the moment it exists and undone in reverse order on
 * failure or cancellation, in a scope a cancellation cannot reach.
 */
public class SiteRecoveryWorkflowImpl implements SiteRecoveryWorkflow {
    /** The seed's phase windows in minutes of its 90-minute total; scaled to the plan's site-loss RTO. */
    static final String[] PHASES = {"provision", "install", "restore-application", "restore-data", "verify-and-cutover"};
    static final int[] PHASE_END_MINUTES = {30, 45, 60, 75, 90};
    /**
     * The site activities heartbeat every second from a ticker thread; a worker that dies mid-step is noticed after
     * this long and the step is retried on another worker.
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    static final int SERVER_ATTEMPTS = 4;
    static final int DNS_ATTEMPTS = 6;
    static final int COMPENSATION_ATTEMPTS = 10;

    private final PlanActivities plans = Workflow.newActivityStub(PlanActivities.class, ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30)).setRetryOptions(Steps.retries(5)).build());
    private final PlanActivities plansOnce = Steps.loadPlanStub();
    private final SiteActivities provisioning = Workflow.newActivityStub(SiteActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
                    .setRetryOptions(Steps.retries(5)).build());
    /** (Version 1) provisioning heartbeats like every site activity: a dead worker costs seconds, not 5 minutes. */
    private final SiteActivities provisioningHeartbeating = Workflow.newActivityStub(SiteActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5))
                    .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Steps.retries(5)).build());
    /** Waiting, commands, copies and restores: long, heartbeating; a crashed worker's attempt is retried. */
    private final SiteActivities server = Workflow.newActivityStub(SiteActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(2))
                    .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Steps.retries(SERVER_ATTEMPTS)).build());
    /** DNS waits for INSYNC; compensation must get through, so it is retried longest. */
    private final SiteActivities dns = Workflow.newActivityStub(SiteActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(15))
                    .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Steps.retries(DNS_ATTEMPTS)).build());
    private final SiteActivities compensating = Workflow.newActivityStub(SiteActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(15))
                    .setHeartbeatTimeout(HEARTBEAT).setRetryOptions(Steps.retries(COMPENSATION_ATTEMPTS)).build());
    private final BackupActivities backups = Workflow.newActivityStub(BackupActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(30)).setRetryOptions(Steps.retries(5)).build());
    private final DataRecoveryActivities data = Workflow.newActivityStub(DataRecoveryActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofHours(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(30)).setRetryOptions(Steps.retries(5)).build());

    private final Steps steps = new Steps();
    private final ApprovalGate gate = new ApprovalGate();
    private final String workflowId = Workflow.getInfo().getWorkflowId();
    private final long startedAt = Workflow.currentTimeMillis();
    private SiteRecoveryRequest request;
    private String provider = "";
    private Outcome outcome = Outcome.RUNNING;
    private long rtoMillis = Duration.ofMinutes(90).toMillis();
    private boolean breached;
    private Long restoredAt;
    private final List<PhaseRecord> phases = new ArrayList<>();
    private int phase = -1;
    private SourceResult source;
    private SecretsInstallResult secrets;
    private ImagePullResult images;
    private String stateBackup = "";
    private String artifactsBackup = "";
    private Long dataAge;
    private final List<String> rejected = new ArrayList<>();
    private DnsValue dnsBefore;
    private DnsValue dnsAfter;
    private String keptBy = "";
    private final List<String> compensation = new ArrayList<>();
    // Saga state: what exists that a failed recovery must undo.
    private SiteTarget provisioned;
    private DnsRequest dnsToRestore;

    @Override
    public SiteRecoveryReport recover(SiteRecoveryRequest request) {
        this.request = request;
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.SCENARIO.valueSet(SCENARIO),
                RomaSearchAttributes.PLAN.valueSet(request.plan() == null ? "" : request.plan()),
                RomaSearchAttributes.OUTCOME.valueSet(Outcome.RUNNING.name()),
                RomaSearchAttributes.RTO_BREACHED.valueSet(false));
        if (request.keepForForensics()) {
            keptBy = "requested at start" + (request.requestedBy().isEmpty() ? "" : " by " + request.requestedBy());
        }
        try {
            RecoveryPlan plan = steps.run("load-plan", 1, () -> (steps.retriesLostWorkers() ? plansOnce : plans)
                    .loadPlan(request.plan()),
                    p -> "plan \"" + p.name() + "\"");
            SiteTarget target = check(plan);
            rtoMillis = plan.rto().siteLoss().toMillis();
            steps.budget(startedAt + rtoMillis);
            initPhases();
            armRtoTimer();
            return finish(Outcome.RECOVERED, recover(plan, target));
        } catch (Steps.Failed | CanceledFailure e) {
            boolean cancelled = e instanceof CanceledFailure || CancellationScope.current().isCancelRequested();
            String why = cancelled ? "cancelled" : "failed at " + e.getMessage();
            // Compensation must run even though this scope may be cancelled.
            Workflow.newDetachedCancellationScope(this::compensate).run();
            SiteRecoveryReport failed = finish(Outcome.FAILED, "Site recovery " + why + compensationSummary());
            if (cancelled) {
                throw e instanceof CanceledFailure c ? c : new CanceledFailure(failed.summary());
            }
            throw RunFailure.of(RunFailure.RECOVERY_FAILED, failed.summary(), failed);
        }
    }

    // ---- the runbook ---------------------------------------------------------------------------------------------

    private String recover(RecoveryPlan plan, SiteTarget target) {
        SiteSpec spec = target.site();
        // Step 1: provision. The server joins the saga the moment the activity has made it.
        enterPhase(0);
        SiteActivities provisioner = steps.retriesLostWorkers() ? provisioningHeartbeating : provisioning;
        SiteServer made = steps.run("provision", 5, () -> provisioner.provision(
                new ProvisionRequest(target, workflowId, "provision")), s -> describe(s), SiteServer::attempt);
        provisioned = target.withServer(made);
        SiteServer ready = steps.run("await-ready", SERVER_ATTEMPTS, () -> server.awaitReady(provisioned), s -> describe(s),
                SiteServer::attempt);
        SiteTarget on = target.withServer(ready);
        provisioned = on;

        // Step 2: install dependencies.
        enterPhase(1);
        commands("bootstrap", spec.bootstrap(), on, null);

        // Step 3: restore the application: source, secrets, build, images, start.
        enterPhase(2);
        if (plan.backup() != null && plan.backup().git() != null) {
            String branch = plan.backup().git().recovery() == null ? "main" : plan.backup().git().recovery().branch();
            source = steps.run("source", SERVER_ATTEMPTS, () -> server.installSource(new SourceRequest(on, plan.backup().git(),
                    branch)), r -> r.remote() + " " + shortId(r.commit()) + ", " + r.files() + " file(s) into "
                    + spec.appDir() + (r.skipped().isEmpty() ? "" : "; passed over: " + String.join("; ", r.skipped())));
        } else {
            steps.mark("source", StepOutcome.SKIPPED, "the plan has no backup.git section");
        }
        if (plan.backup() != null && plan.backup().secrets() != null) {
            BackupManifest export = newestGood(plan, BackupKind.SECRETS, m -> true);
            if (export == null) {
                steps.fail("secrets", "no secrets backup passes its checksum; the service cannot start without them");
            }
            secrets = steps.run("secrets", SERVER_ATTEMPTS, () -> server.installSecrets(new SecretsInstallRequest(on,
                    plan.backup().store(), export)), r -> r.variables().size() + " variable(s) from " + r.objectKey()
                    + " into " + r.envFile());
        } else {
            steps.mark("secrets", StepOutcome.SKIPPED, "the plan has no backup.secrets section");
        }
        commands("build", spec.build(), on, spec.appDir());
        List<String> templateImages = plan.service().containers().stream().map(c -> c.template().image())
                .distinct().toList();
        images = steps.run("images", SERVER_ATTEMPTS, () -> server.pullImages(new ImagePullRequest(on,
                plan.backup() == null ? null : plan.backup().images(), templateImages)),
                r -> "from " + r.registry() + ": " + String.join(", ", r.resolved().values())
                        + (r.notes().isEmpty() ? "" : "; " + String.join("; ", r.notes())));
        steps.run("start-services", SERVER_ATTEMPTS, () -> server.startServices(new StartServicesRequest(on, plan.service(),
                images.resolved(), images.registry())), ActionResult::detail);

        // Step 4: restore data, each from the newest backup that holds up.
        enterPhase(3);
        if (plan.backup() != null && plan.backup().state() != null) {
            BackupManifest state = restoreNewest(plan, on, BackupKind.STATE, "restore-state",
                    plan.backup().state().service(), plan.backup().state().path(), m -> true,
                    "no state snapshot passes its checksum");
            stateBackup = state.objectKey();
            dataAge = startedAt - state.createdAt();
        } else {
            steps.mark("restore-state", StepOutcome.SKIPPED, "the plan has no backup.state section");
        }
        ArtifactBackupSpec artifacts = plan.backup() == null ? null : plan.backup().artifacts();
        if (artifacts != null) {
            String schema = artifacts.recovery().schema();
            BackupManifest clean = restoreNewest(plan, on, BackupKind.ARTIFACTS, "restore-artifacts",
                    artifacts.service(), artifacts.path(), m -> {
                ArtifactCheck inside = steps.run("validate-backup", () -> data.validateBackup(new ValidateBackupRequest(
                        plan.name(), plan.backup().store(), m, artifacts.include(), schema)),
                        c -> m.objectKey() + ": " + (c.allValid() ? c.total() + " valid"
                                : c.invalid().size() + " invalid"));
                if (!inside.allValid()) {
                    rejected.add(m.objectKey() + ": its own artifacts are invalid: "
                            + String.join(", ", inside.invalidFiles().stream().limit(5).toList()));
                }
                return inside.allValid();
            }, "no artifacts backup passes its checksum with valid artifacts");
            artifactsBackup = clean.objectKey();
        } else {
            steps.mark("restore-artifacts", StepOutcome.SKIPPED, "the plan has no backup.artifacts section");
        }

        // Step 5: verify, cut DNS over, watch.
        enterPhase(4);
        verify(plan, on, artifacts);
        cutOver(plan, on);
        restoredAt = Workflow.currentTimeMillis();
        watch(plan, on);
        endPhases();
        return "Site restored on " + describe(on.server()) + " in " + ReportFormatter.clock(restoredAt - startedAt)
                + " against an RTO of " + ReportFormatter.clock(rtoMillis) + (breached ? " (RTO BREACHED)" : " (RTO met)")
                + (dnsAfter == null ? "" : "; " + dnsAfter.name() + " now points at " + String.join(",",
                        dnsAfter.values()))
                + (dataAge == null ? "" : "; data loss " + ReportFormatter.age(dataAge)) + ".";
    }

    private void verify(RecoveryPlan plan, SiteTarget on, ArtifactBackupSpec artifacts) {
        String project = plan.service().composeProject();
        HealthResult healthy = steps.run("wait-healthy", SERVER_ATTEMPTS, () -> server.checkHealth(new SiteHealthRequest(on,
                new HealthRequest(project, plan.service().healthChecks(), plan.recovery().waitHealthy(),
                        plan.recovery().pollInterval()))), HealthResult::summary);
        if (!healthy.healthy()) {
            steps.fail("wait-healthy", "not healthy after " + ReportFormatter.seconds(healthy.waitedMillis()) + ": "
                    + healthy.summary());
        }
        if (!plan.service().smoke().isEmpty()) {
            List<HealthCheck> all = new ArrayList<>(plan.service().smoke());
            HealthResult smoke = steps.run("smoke", SERVER_ATTEMPTS, () -> server.checkHealth(new SiteHealthRequest(on,
                    HealthRequest.once(project, all))), HealthResult::summary);
            if (!smoke.healthy()) {
                steps.fail("smoke", smoke.summary());
            }
        }
        commands("verify", on.site().verify(), on, on.site().appDir());
        if (artifacts != null && !on.provider().equals("docker")) {
            steps.mark("validate-artifacts", StepOutcome.SKIPPED, "the " + on.provider() + " provider has no engine "
                    + "here to read them from; the backup's artifacts were validated before the restore");
        } else if (artifacts != null) {
            ArtifactCheck check = steps.run("validate-artifacts", SERVER_ATTEMPTS, () -> server.validateArtifacts(new SiteArtifactsRequest(
                    on, new ValidateArtifactsRequest(plan.name(), project, artifacts.service(), artifacts.path(),
                            artifacts.include(), artifacts.recovery().schema()))),
                    c -> c.allValid() ? "all " + c.total() + " valid" : c.invalid().size() + " of " + c.total() + " invalid");
            if (!check.allValid()) {
                steps.fail("validate-artifacts", String.join(", ", check.invalidFiles().stream().limit(10).toList()));
            }
        }
    }

    private void cutOver(RecoveryPlan plan, SiteTarget on) {
        SiteSpec.SiteDns record = on.site().dns();
        if (record == null) {
            steps.mark("dns", StepOutcome.SKIPPED, "the plan has no site.dns record to move");
            return;
        }
        if (on.site().approveCutover()) {
            gate.awaitStep(steps, "dns-cutover", "Point " + record.name() + " at "
                    + on.server().address() + " (" + on.server().name() + ")?", on.site().approvalTimeout(),
                    "DNS was not changed");
        }
        // Read what the record says in a step of its own, so a retried update cannot mistake its own change for
        // the previous value compensation must put back.
        String note = "roma-dr " + workflowId;
        dnsBefore = steps.run("dns-read", DNS_ATTEMPTS, () -> dns.currentDns(new DnsRequest(record, List.of(), null, note)),
                v -> "was " + v);
        dnsToRestore = new DnsRequest(record, List.of(), dnsBefore, note);
        DnsOutcome moved = steps.run("dns-update", DNS_ATTEMPTS, () -> dns.updateDns(new DnsRequest(record,
                List.of(on.server().address()), dnsBefore, note)), o -> (o.changed() ? "changed to " : "already ")
                + o.now() + (o.changeId() == null ? "" : " (" + o.changeId() + " in sync)"), DnsOutcome::attempt);
        dnsAfter = moved.now();
    }

    /** The seed's "Monitor for 30 minutes", on workflow timers; a failing probe fails the recovery. */
    private void watch(RecoveryPlan plan, SiteTarget on) {
        Duration window = on.site().watchWindow();
        if (window.isZero()) {
            steps.mark("watch", StepOutcome.SKIPPED, "watch window is 0");
            return;
        }
        int index = steps.begin("watch");
        long end = Workflow.currentTimeMillis() + window.toMillis();
        int probes = 0;
        while (Workflow.currentTimeMillis() < end) {
            Workflow.sleep(Duration.ofMillis(Math.min(on.site().watchInterval().toMillis(),
                    end - Workflow.currentTimeMillis())));
            probes++;
            HealthResult h;
            SiteHealthRequest probe = new SiteHealthRequest(on, HealthRequest.once(plan.service().composeProject(),
                    plan.service().healthChecks()));
            if (steps.retriesLostWorkers()) {
                // A probe whose workers died saw nothing: not a relapse (which would undo the cut-over).
                LostWorkerRetry.Result<HealthResult> r = LostWorkerRetry.call(() -> server.checkHealth(probe),
                        HealthResult::attempt, SERVER_ATTEMPTS, Long.MAX_VALUE);
                if (r.workerLost()) {
                    continue;
                }
                h = r.value() != null ? r.value() : new HealthResult(false, List.of(), 0, 0, r.attempts());
            } else {
                try {
                    h = server.checkHealth(probe);
                } catch (io.temporal.failure.ActivityFailure e) {
                    h = new HealthResult(false, List.of(), 0, 0, 1);
                }
            }
            if (!h.healthy()) {
                steps.end(index, StepOutcome.FAILED, "unhealthy at probe " + probes + ": " + h.summary());
                throw new Steps.Failed("watch: unhealthy at probe " + probes + " after the cut-over");
            }
        }
        steps.end(index, StepOutcome.OK, probes + " probe(s) healthy over " + ReportFormatter.clock(window.toMillis()));
    }

    // ---- saga ----------------------------------------------------------------------------------------------------

    /** Undo in reverse order of doing: DNS first (users leave the new server), then the server. Idempotent. */
    private void compensate() {
        if (dnsToRestore != null) {
            DnsRequest undo = dnsToRestore;
            try {
                DnsOutcome back = steps.run("compensate: dns", COMPENSATION_ATTEMPTS, () -> compensating.restoreDns(undo),
                        o -> (o.changed() ? "restored " : "already ") + (o.now() == null
                                ? "absent (there was no record before)" : o.now().toString()));
                compensation.add("DNS " + (back.now() == null ? "record removed (there was none before)"
                        : "restored to " + back.now()));
            } catch (Steps.Failed e) {
                compensation.add("DNS NOT restored: " + e.getMessage() + "; restore " + undo.previous() + " by hand");
            }
        }
        if (provisioned != null) {
            SiteTarget what = provisioned;
            if (!keptBy.isEmpty() || what.site().keepOnFailure()) {
                String who = keptBy.isEmpty() ? "the plan's site.keepOnFailure" : keptBy;
                steps.mark("compensate: server", StepOutcome.SKIPPED, "kept for forensics (" + who + ")");
                compensation.add("server " + describe(what.server()) + " KEPT for forensics (" + who
                        + "); terminate it when done");
            } else {
                try {
                    Boolean removed = steps.run("compensate: server", COMPENSATION_ATTEMPTS, () -> compensating.terminate(what),
                            r -> r ? "terminated " + describe(what.server()) : "already gone");
                    compensation.add("server " + describe(what.server()) + (removed ? " terminated" : " was already gone"));
                    SiteServer s = what.server();
                    provisioned = what.withServer(new SiteServer(s.provider(), s.id(), s.name(), s.address(),
                            "terminated", s.attempt()));
                } catch (Steps.Failed e) {
                    compensation.add("server " + describe(what.server()) + " NOT terminated: " + e.getMessage());
                }
            }
        }
    }

    private String compensationSummary() {
        return compensation.isEmpty() ? "; nothing to undo." : "; compensation: " + String.join("; ", compensation) + ".";
    }

    @Override
    public String keepForForensics(ForensicsRequest r) {
        keptBy = r.requestedBy() + ": " + r.reason();
        return "the server of " + workflowId + " will be kept if the recovery fails (" + keptBy + ")";
    }

    @Override
    public void validateKeep(ForensicsRequest r) {
        if (r == null || r.requestedBy().isEmpty() || r.reason().isEmpty()) {
            throw new IllegalArgumentException("keeping a server for forensics must name who asks and why");
        }
        if (outcome != Outcome.RUNNING) {
            throw new IllegalStateException("the recovery has already ended (" + outcome + ")");
        }
    }

    @Override
    public String approve(ApprovalDecision decision) {
        return gate.decide(decision);
    }

    @Override
    public void validateApprove(ApprovalDecision decision) {
        gate.validate(decision);
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private SiteTarget check(RecoveryPlan plan) {
        SiteSpec spec = plan.site();
        if (spec == null) {
            steps.fail("plan-check", "plan \"" + plan.name() + "\" has no site section (Scenario 3)");
        }
        provider = request.provider() == null || request.provider().isBlank() ? spec.provider() : request.provider();
        List<String> problems = new ArrayList<>();
        if (!SiteSpec.PROVIDERS.contains(provider)) {
            problems.add("unknown provider \"" + provider + "\" (expected " + SiteSpec.PROVIDERS + ")");
        } else if (provider.equals("docker") && spec.docker() == null) {
            problems.add("provider docker needs site.docker.image");
        } else if (provider.equals("aws") && spec.aws() == null) {
            problems.add("provider aws needs site.aws (ami, instanceType, ...)");
        }
        for (ServiceContainer c : plan.service().containers()) {
            if (c.template() == null) {
                problems.add("service \"" + c.service() + "\" has no template: nothing survives a site loss to "
                        + "recreate it from");
            }
        }
        if (!problems.isEmpty()) {
            steps.fail("plan-check", String.join("; ", problems));
        }
        steps.mark("plan-check", StepOutcome.OK, "provider " + provider + ", " + plan.service().containers().size()
                + " service(s), RTO " + ReportFormatter.clock(plan.rto().siteLoss().toMillis()));
        return new SiteTarget(plan.name(), provider, spec, null);
    }

    private void commands(String kind, List<CommandStep> list, SiteTarget on, String workdir) {
        if (list.isEmpty()) {
            steps.mark(kind, StepOutcome.SKIPPED, "the plan has no site." + kind + " commands");
            return;
        }
        for (CommandStep step : list) {
            String key = workflowId + "/" + kind + "/" + step.name();
            steps.run(kind + ": " + step.name(), SERVER_ATTEMPTS, () -> server.runOnServer(new ServerCommandRequest(on, step, workdir,
                    key)), ActionResult::detail, ActionResult::attempt);
        }
    }

    /** Newest first, the first backup whose checksum holds (and that {@code accept} takes); refusals are recorded. */
    private BackupManifest newestGood(RecoveryPlan plan, BackupKind kind, Predicate<BackupManifest> accept) {
        return NewestGoodBackup.choose(steps, backups, plan.backup().store(), plan.name(), kind, "list-" + kind.id(),
                "check-" + kind.id(), accept, rejected).chosen();
    }

    /** Restores the newest good backup of {@code kind} into {@code path} of {@code service} on the new server. */
    private BackupManifest restoreNewest(RecoveryPlan plan, SiteTarget on, BackupKind kind, String step,
            String service, String path, Predicate<BackupManifest> accept, String whenNone) {
        BackupManifest chosen = newestGood(plan, kind, accept);
        if (chosen == null) {
            steps.fail(step, whenNone);
        }
        steps.run(step, SERVER_ATTEMPTS, () -> server.restoreData(new SiteRestoreRequest(on, plan.backup().store(), chosen,
                plan.service(), service, path)), SiteRestoreResult::detail, SiteRestoreResult::attempt);
        return chosen;
    }

    private void initPhases() {
        long from = 0;
        for (int i = 0; i < PHASES.length; i++) {
            long to = rtoMillis * PHASE_END_MINUTES[i] / 90;
            phases.add(new PhaseRecord(PHASES[i], from, to, null, null, false));
            from = to;
        }
    }

    private void enterPhase(int next) {
        long now = Workflow.currentTimeMillis();
        if (phase >= 0) {
            closePhase(phase, now);
        }
        PhaseRecord p = phases.get(next);
        phases.set(next, new PhaseRecord(p.name(), p.budgetFromMillis(), p.budgetToMillis(), now, null, false));
        phase = next;
    }

    private void endPhases() {
        if (phase >= 0 && phases.get(phase).endedAt() == null) {
            closePhase(phase, Workflow.currentTimeMillis());
        }
    }

    private void closePhase(int i, long now) {
        PhaseRecord p = phases.get(i);
        phases.set(i, new PhaseRecord(p.name(), p.budgetFromMillis(), p.budgetToMillis(), p.startedAt(), now,
                now - startedAt > p.budgetToMillis()));
    }

    private void armRtoTimer() {
        long remaining = rtoMillis;
        Async.procedure(() -> {
            boolean settled = Workflow.await(Duration.ofMillis(remaining),
                    () -> restoredAt != null || outcome != Outcome.RUNNING);
            if (!settled) {
                breached = true;
                steps.mark("rto-breached", StepOutcome.BREACH, "RTO of " + ReportFormatter.clock(rtoMillis)
                        + " spent; recovery continues");
                Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.RTO_BREACHED.valueSet(true));
            }
        });
    }

    /** "aws roma-recovery (i-0abc...) at 10.0.1.7": the id is what someone cleaning up by hand needs. */
    private static String describe(SiteServer s) {
        if (s == null) {
            return "(none)";
        }
        boolean named = s.name() != null && !s.name().isBlank() && !s.id().startsWith(s.name());
        return s.provider() + " " + (named ? s.name() + " (" + s.id() + ")" : s.name() == null || s.name().isBlank()
                ? s.id() : s.name()) + (s.address() == null || s.address().isBlank() ? "" : " at " + s.address());
    }

    private static String shortId(String commit) {
        return commit == null ? "" : commit.substring(0, Math.min(12, commit.length()));
    }

    private SiteRecoveryReport finish(Outcome result, String summary) {
        outcome = result;
        endPhases();
        Workflow.upsertTypedSearchAttributes(RomaSearchAttributes.OUTCOME.valueSet(result.name()));
        return report(summary);
    }

    @Override
    public void triggerNotice(io.romadr.report.TriggerNotice notice) {
        steps.mark(notice.step(), StepOutcome.OK, notice.line());
    }

    @Override
    public SiteRecoveryReport progress() {
        return request == null ? null : report("");
    }

    private SiteRecoveryReport report(String summary) {
        return new SiteRecoveryReport(workflowId, request.plan(), provider, request.requestedBy(), request.reason(),
                outcome, startedAt, Workflow.currentTimeMillis(), rtoMillis, breached, restoredAt,
                provisioned == null ? null : provisioned.server(), phases, source, secrets,
                images, stateBackup, artifactsBackup, dataAge, rejected, dnsBefore, dnsAfter, gate.pending(), gate.last(),
                keptBy, compensation, steps.snapshot(), summary);
    }
}
