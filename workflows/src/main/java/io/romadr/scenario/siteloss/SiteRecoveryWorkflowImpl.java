package io.romadr.scenario.siteloss;

import io.romadr.approval.ApprovalScenarioWorkflowBase;
import static io.romadr.scenario.siteloss.SiteStubs.SERVER_ATTEMPTS;
import static io.romadr.scenario.siteloss.SiteStubs.DNS_ATTEMPTS;

import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.NewestGoodBackup;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.ValidateArtifactsRequest;
import io.romadr.scenario.datacorruption.ValidateBackupRequest;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RegionsSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.SiteSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.runtime.Steps;
import io.temporal.failure.CanceledFailure;
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
public class SiteRecoveryWorkflowImpl extends ApprovalScenarioWorkflowBase<SiteRecoveryReport>
        implements SiteRecoveryWorkflow {
    /** Version 1: a request naming the plan's failover region recovers there (site.failover, backup.replica). */
    static final String REGION_FAILOVER = "region-failover";
    private final SiteStubs stubs = new SiteStubs(steps);
    private final SiteSaga saga = new SiteSaga(steps, stubs.compensating);
    private SiteRecoveryRequest request;
    private String provider = "";
    private long rtoMillis = Duration.ofMinutes(90).toMillis();
    private Long restoredAt;
    private final PhaseBudgets phases = new PhaseBudgets(startedAt);
    private SourceResult source;
    private SecretsInstallResult secrets;
    private ImagePullResult images;
    private String stateBackup = "";
    private String artifactsBackup = "";
    private Long dataAge;
    private final List<String> rejected = new ArrayList<>();
    private DnsValue dnsBefore;
    private DnsValue dnsAfter;
    /** The failover region of a region outage, "" for a site loss. */
    private String failoverRegion = "";
    /** Where the backups are restored from: backup.store, or backup.replica.store in a region outage. */
    private BackupStore store;
    /** Where the secrets exports are: backup.secrets.store when the plan has one, else as {@link #store}. */
    private BackupStore secretsStore;
    // Saga state: what exists that a failed recovery must undo.

    @Override
    public SiteRecoveryReport recover(SiteRecoveryRequest request) {
        this.request = request;
        startClock(request);
        run.start(SCENARIO, request.plan(), true);
        if (request.keepForForensics()) {
            saga.keep("requested at start" + (request.requestedBy().isEmpty() ? "" : " by " + request.requestedBy()));
        }
        try {
            RecoveryPlan plan = steps.loadPlan(request.plan());
            SiteTarget target = check(plan);
            rtoMillis = failoverRegion.isEmpty()
                    ? plan.rto().siteLoss().toMillis()
                    : plan.rto().regionOutage().toMillis();
            // From the first step: a recovery that waited for a worker still calls a lost worker's step again.
            steps.budget(startedAt + rtoMillis);
            phases.init(rtoMillis);
            planLoaded(plan, rtoMillis);
            rto.start(Duration.ofMillis(rtoMillis), () -> restoredAt != null || !run.running());
            recoveryStarted(rtoMillis, request.requestedBy(), request.reason());
            return finish(Outcome.RECOVERED, recover(plan, target));
        } catch (Steps.Failed | CanceledFailure e) {
            boolean cancelled = e instanceof CanceledFailure || CancellationScope.current().isCancelRequested();
            String why = cancelled ? "cancelled" : "failed at " + e.getMessage();
            // Compensation must run even though this scope may be cancelled.
            Workflow.newDetachedCancellationScope(saga::compensate).run();
            SiteRecoveryReport failed = finish(Outcome.FAILED, "Site recovery " + why + saga.summary());
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
        phases.enter(0);
        SiteActivities provisioner = steps.retriesLostWorkers() ? stubs.provisioningHeartbeating : stubs.provisioning;
        SiteServer made = steps.run("provision", 5, () -> provisioner.provision(
                new ProvisionRequest(target, workflowId, "provision")), s -> SiteSaga.describe(s), SiteServer::attempt);
        saga.provisioned(target.withServer(made));
        SiteServer ready = steps.run("await-ready", SERVER_ATTEMPTS, () -> stubs.server.awaitReady(saga.provisioned()),
                s -> SiteSaga.describe(s),
                SiteServer::attempt);
        SiteTarget on = target.withServer(ready);
        saga.provisioned(on);

        // Step 2: install dependencies.
        phases.enter(1);
        commands("bootstrap", spec.bootstrap(), on, null);

        // Step 3: restore the application: source, secrets, build, images, start.
        phases.enter(2);
        if (plan.backup() != null && plan.backup().git() != null) {
            String branch = plan.backup().git().recovery() == null ? "main" : plan.backup().git().recovery().branch();
            source = steps.run(
                    "source", SERVER_ATTEMPTS, () -> stubs.server
                            .installSource(new SourceRequest(on, plan.backup().git(),
                                    branch)),
                    r -> r.remote() + " " + shortId(r.commit()) + ", " + r.files() + " file(s) into "
                            + spec.appDir()
                            + (r.skipped().isEmpty() ? "" : "; passed over: " + String.join("; ", r.skipped())));
        } else {
            steps.mark("source", StepOutcome.SKIPPED, "the plan has no backup.git section");
        }
        if (plan.backup() != null && plan.backup().secrets() != null) {
            BackupManifest export = newestGood(plan, BackupKind.SECRETS, m -> true);
            if (export == null) {
                steps.fail("secrets", "no secrets backup passes its checksum; the service cannot start without them");
            }
            secrets = steps.run("secrets", SERVER_ATTEMPTS,
                    () -> stubs.server.installSecrets(new SecretsInstallRequest(on,
                            secretsStore, export)),
                    r -> r.variables().size() + " variable(s) from " + r.objectKey()
                            + " into " + r.envFile());
        } else {
            steps.mark("secrets", StepOutcome.SKIPPED, "the plan has no backup.secrets section");
        }
        commands("build", spec.build(), on, spec.appDir());
        List<String> templateImages = plan.service().containers().stream().map(c -> c.template().image())
                .distinct().toList();
        images = steps.run("images", SERVER_ATTEMPTS, () -> stubs.server.pullImages(new ImagePullRequest(on,
                plan.backup() == null ? null : plan.backup().images(), templateImages)),
                r -> "from " + r.registry() + ": " + String.join(", ", r.resolved().values())
                        + (r.notes().isEmpty() ? "" : "; " + String.join("; ", r.notes())));
        steps.run("start-services", SERVER_ATTEMPTS,
                () -> stubs.server.startServices(new StartServicesRequest(on, plan.service(),
                        images.resolved(), images.registry())),
                ActionResult::detail);

        // Step 4: restore data, each from the newest backup that holds up.
        phases.enter(3);
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
                        ArtifactCheck inside = steps.run("validate-backup",
                                () -> stubs.data.validateBackup(new ValidateBackupRequest(
                                        plan.name(), store, m, artifacts.include(), schema)),
                                c -> m.objectKey() + ": " + (c.allValid()
                                        ? c.total() + " valid"
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
        phases.enter(4);
        verify(plan, on, artifacts);
        cutOver(plan, on);
        restoredAt = Workflow.currentTimeMillis();
        watch(plan, on);
        phases.end();
        return "Site restored on " + SiteSaga.describe(on.server()) + " in "
                + ReportFormatter.clock(restoredAt - clockStart)
                + " against an RTO of " + ReportFormatter.clock(rtoMillis)
                + (rto.breached() ? " (RTO BREACHED)" : " (RTO met)")
                + (failoverRegion.isEmpty()
                        ? ""
                        : " after a region outage: in " + failoverRegion + " from the replica store " + store.uri())
                + (dnsAfter == null
                        ? ""
                        : "; " + dnsAfter.name() + " now points at " + String.join(",",
                                dnsAfter.values()))
                + (dataAge == null ? "" : "; data loss " + ReportFormatter.age(dataAge)) + ".";
    }

    private void verify(RecoveryPlan plan, SiteTarget on, ArtifactBackupSpec artifacts) {
        String project = plan.service().composeProject();
        HealthResult healthy = steps.run("wait-healthy", SERVER_ATTEMPTS,
                () -> stubs.server.checkHealth(new SiteHealthRequest(on,
                        new HealthRequest(project, plan.service().healthChecks(), plan.recovery().waitHealthy(),
                                plan.recovery().pollInterval()))),
                HealthResult::summary);
        if (!healthy.healthy()) {
            steps.fail("wait-healthy", "not healthy after " + ReportFormatter.seconds(healthy.waitedMillis()) + ": "
                    + healthy.summary());
        }
        if (!plan.service().smoke().isEmpty()) {
            List<HealthCheck> all = new ArrayList<>(plan.service().smoke());
            HealthResult smoke = steps.run("smoke", SERVER_ATTEMPTS,
                    () -> stubs.server.checkHealth(new SiteHealthRequest(on,
                            HealthRequest.once(project, all))),
                    HealthResult::summary);
            if (!smoke.healthy()) {
                steps.fail("smoke", smoke.summary());
            }
        }
        commands("verify", on.site().verify(), on, on.site().appDir());
        if (artifacts != null && !on.provider().equals("docker")) {
            steps.mark("validate-artifacts", StepOutcome.SKIPPED, "the " + on.provider() + " provider has no engine "
                    + "here to read them from; the backup's artifacts were validated before the restore");
        } else if (artifacts != null) {
            ArtifactCheck check = steps.run("validate-artifacts", SERVER_ATTEMPTS,
                    () -> stubs.server.validateArtifacts(new SiteArtifactsRequest(
                            on,
                            new ValidateArtifactsRequest(plan.name(), project, artifacts.service(), artifacts.path(),
                                    artifacts.include(), artifacts.recovery().schema()))),
                    c -> c.allValid()
                            ? "all " + c.total() + " valid"
                            : c.invalid().size() + " of " + c.total() + " invalid");
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
        dnsBefore = steps.run("dns-read", DNS_ATTEMPTS,
                () -> stubs.dns.currentDns(new DnsRequest(record, List.of(), null, note)),
                v -> "was " + v);
        saga.dnsChanged(new DnsRequest(record, List.of(), dnsBefore, note));
        DnsOutcome moved = steps.run("dns-update", DNS_ATTEMPTS, () -> stubs.dns.updateDns(new DnsRequest(record,
                List.of(on.server().address()), dnsBefore, note)), o -> (o.changed() ? "changed to " : "already ")
                        + o.now() + (o.changeId() == null ? "" : " (" + o.changeId() + " in sync)"),
                DnsOutcome::attempt);
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
            SiteHealthRequest probe = new SiteHealthRequest(on, HealthRequest.once(plan.service().composeProject(),
                    plan.service().healthChecks()));
            // A probe whose workers died saw nothing (null): not a relapse, which would undo the cut-over.
            HealthResult h = steps.probe(() -> stubs.server.checkHealth(probe), HealthResult::attempt, SERVER_ATTEMPTS,
                    HealthResult::failedAfter);
            if (h != null && !h.healthy()) {
                steps.end(index, StepOutcome.FAILED, "unhealthy at probe " + probes + ": " + h.summary());
                throw new Steps.Failed("watch: unhealthy at probe " + probes + " after the cut-over");
            }
        }
        steps.end(index, StepOutcome.OK, probes + " probe(s) healthy over " + ReportFormatter.clock(window.toMillis()));
    }

    // ---- saga ----------------------------------------------------------------------------------------------------

    @Override
    public String keepForForensics(ForensicsRequest r) {
        saga.keep(r.requestedBy() + ": " + r.reason());
        return "the server of " + workflowId + " will be kept if the recovery fails (" + saga.keptBy() + ")";
    }

    @Override
    public void validateKeep(ForensicsRequest r) {
        if (r == null || r.requestedBy().isEmpty() || r.reason().isEmpty()) {
            throw new IllegalArgumentException("keeping a server for forensics must name who asks and why");
        }
        if (!run.running()) {
            throw new IllegalStateException("the recovery has already ended (" + run.outcome() + ")");
        }
    }

    // ---- plumbing ------------------------------------------------------------------------------------------------

    private SiteTarget check(RecoveryPlan plan) {
        SiteSpec spec = plan.site();
        if (spec == null) {
            steps.fail("plan-check", "plan \"" + plan.name() + "\" has no site section (Scenario 3)");
        }
        store = plan.backup() == null ? null : plan.backup().store();
        secretsStore = plan.backup() == null ? null : plan.backup().secretsStore();
        int version = Workflow.getVersion(REGION_FAILOVER, Workflow.DEFAULT_VERSION, 1);
        if (version >= 1 && !request.region().isEmpty()) {
            spec = failover(plan, spec);
        }
        provider = request.provider() == null || request.provider().isBlank() ? spec.provider() : request.provider();
        List<String> problems = new ArrayList<>();
        String section = failoverRegion.isEmpty() ? "site" : "site.failover";
        if (!SiteSpec.PROVIDERS.contains(provider)) {
            problems.add("unknown provider \"" + provider + "\" (expected " + SiteSpec.PROVIDERS + ")");
        } else if (provider.equals("docker") && spec.docker() == null) {
            problems.add("provider docker needs " + section + ".docker.image");
        } else if (provider.equals("aws") && spec.aws() == null) {
            problems.add("provider aws needs " + section + ".aws (ami, instanceType, ...)");
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
                + " service(s), RTO " + ReportFormatter.clock(failoverRegion.isEmpty()
                        ? plan.rto().siteLoss().toMillis()
                        : plan.rto().regionOutage().toMillis())
                + (failoverRegion.isEmpty()
                        ? ""
                        : " (region outage), in " + failoverRegion + ", backups from the replica " + store.uri()));
        return new SiteTarget(plan.name(), provider, spec, null);
    }

    /**
     * The site for a request that names a region: the plan's primary region is an ordinary site loss; its failover
     * region a region outage (the server from site.failover, the backups from the replica store); any other region
     * is refused here, before anything is provisioned.
     */
    private SiteSpec failover(RecoveryPlan plan, SiteSpec spec) {
        String region = request.region();
        RegionsSpec regions = plan.regions();
        if (regions == null) {
            steps.fail("plan-check", "recovery requested in region " + region + " but plan \"" + plan.name()
                    + "\" names no regions (regions: {primary, failover}; docs/regions.md)");
        }
        if (region.equals(regions.primary())) {
            return spec;
        }
        if (!region.equals(regions.failover())) {
            steps.fail("plan-check", "region " + region + " is not a region of plan \"" + plan.name()
                    + "\" (primary " + regions.primary() + ", failover " + regions.failover() + ")");
        }
        if (spec.failover() == null) {
            steps.fail("plan-check", "a region outage needs site.failover: the plan names no server in " + region);
        }
        if (plan.backup() == null || plan.backup().replica() == null) {
            steps.fail("plan-check", "a region outage needs backup.replica: the plan keeps no copy of its backups in "
                    + region);
        }
        failoverRegion = region;
        store = plan.backup().replica().store();
        // The replica holds every kind's copies, the secrets exports too.
        secretsStore = store;
        return spec.inFailoverRegion();
    }

    private void commands(String kind, List<CommandStep> list, SiteTarget on, String workdir) {
        if (list.isEmpty()) {
            steps.mark(kind, StepOutcome.SKIPPED, "the plan has no site." + kind + " commands");
            return;
        }
        for (CommandStep step : list) {
            String key = workflowId + "/" + kind + "/" + step.name();
            steps.run(kind + ": " + step.name(), SERVER_ATTEMPTS,
                    () -> stubs.server.runOnServer(new ServerCommandRequest(on, step, workdir,
                            key)),
                    ActionResult::detail, ActionResult::attempt);
        }
    }

    /** Newest first, the first backup whose checksum holds (and that {@code accept} takes); refusals are recorded. */
    private BackupManifest newestGood(RecoveryPlan plan, BackupKind kind, Predicate<BackupManifest> accept) {
        return NewestGoodBackup
                .choose(steps, stubs.backups, kind == BackupKind.SECRETS ? secretsStore : store, plan.name(), kind,
                        "list-" + kind.id(),
                        "check-" + kind.id(), accept, rejected)
                .chosen();
    }

    /** Restores the newest good backup of {@code kind} into {@code path} of {@code service} on the new server. */
    private BackupManifest restoreNewest(RecoveryPlan plan, SiteTarget on, BackupKind kind, String step,
            String service, String path, Predicate<BackupManifest> accept, String whenNone) {
        BackupManifest chosen = newestGood(plan, kind, accept);
        if (chosen == null) {
            steps.fail(step, whenNone);
        }
        steps.run(step, SERVER_ATTEMPTS,
                () -> stubs.server.restoreData(new SiteRestoreRequest(on, store, chosen,
                        plan.service(), service, path)),
                SiteRestoreResult::detail, SiteRestoreResult::attempt);
        return chosen;
    }

    private static String shortId(String commit) {
        return commit == null ? "" : commit.substring(0, Math.min(12, commit.length()));
    }

    private SiteRecoveryReport finish(Outcome result, String summary) {
        phases.end();
        return run.finish(result, summary);
    }

    @Override
    protected SiteRecoveryReport report(String summary) {
        return new SiteRecoveryReport(workflowId, request.plan(), provider, request.requestedBy(), request.reason(),
                run.outcome(), clockStart, run.now(), rtoMillis, rto.breached(), restoredAt,
                saga.provisioned() == null ? null : saga.provisioned().server(), phases.snapshot(), source, secrets,
                images, stateBackup, artifactsBackup, dataAge, rejected, dnsBefore, dnsAfter, gate.pending(),
                gate.last(),
                saga.keptBy(), saga.compensation(), steps.snapshot(), summary, failoverRegion,
                store == null ? "" : store.uri(), incident);
    }
}
