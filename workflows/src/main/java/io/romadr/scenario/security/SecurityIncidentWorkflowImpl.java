package io.romadr.scenario.security;

import io.romadr.approval.ApprovalScenarioWorkflowBase;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.notify.NotifyEvent;
import io.romadr.plan.CommandStep;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.SecuritySpec;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.ApprovalRecord;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.romadr.scenario.gitloss.GitProbe;
import io.romadr.scenario.gitloss.GitProbeRequest;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.RecreateRequest;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The security incident, in the order the evidence requires: nothing is changed before the assessment, containment
 * waits for an approval, the evidence is kept before anything else changes, and the destructive part (rotation,
 * redeploy) waits for a second approval. Every activity call is a timed step; containment is also timed against
 * {@code security.containWithin}, the whole run against {@code security.rto}.
 */
public class SecurityIncidentWorkflowImpl extends ApprovalScenarioWorkflowBase<SecurityIncidentReport>
        implements SecurityIncidentWorkflow {
    static final int ATTEMPTS = 3;
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final String CONTAIN_STEP = "contain";
    static final String ROTATE_STEP = "rotate-and-redeploy";
    /** The events the plan's {@code security.contacts} hear of this scenario. */
    static final List<String> CONTACT_EVENTS = List.of(NotifyEvent.RECOVERY_STARTED.id(),
            NotifyEvent.APPROVAL_PENDING.id(), NotifyEvent.SECURITY_CONTAINED.id(),
            NotifyEvent.CREDENTIALS_ROTATED.id(), NotifyEvent.RTO_BREACHED.id(), NotifyEvent.RECOVERED.id(),
            NotifyEvent.FAILED.id());

    private final SecurityIncidentActivities reads = steps.stub(SecurityIncidentActivities.class,
            Duration.ofMinutes(2), null, Retries.of(ATTEMPTS));
    /** Evidence and image pulls move real bytes: long, heartbeating. */
    private final SecurityIncidentActivities moves = steps.stub(SecurityIncidentActivities.class,
            Duration.ofHours(1), HEARTBEAT, Retries.of(ATTEMPTS));
    private final GitRecoveryActivities git = steps.stub(GitRecoveryActivities.class, Duration.ofMinutes(2),
            Duration.ofSeconds(60), Retries.of(ATTEMPTS));

    /**
     * This incident: the workflow id (canonical, so the same for every incident of the plan) and this run's id. Names
     * the evidence prefix and is the rotation id, so a later incident rotates again.
     */
    private final String incidentId = workflowId + "-" + Workflow.getInfo().getRunId();
    private SecurityIncidentRequest request;
    private SecuritySpec security = SecuritySpec.DEFAULTS;
    private String containMode = "";
    private long rtoMillis;
    private Long containedAt;
    private List<IncidentContainer> containers = List.of();
    private ContainResult containment;
    private EvidenceManifest evidence;
    private final List<ApprovalRecord> approvals = new ArrayList<>();
    private final List<RotationResult> rotations = new ArrayList<>();
    private String knownGoodCommit = "";
    private KnownGoodImages images;
    private String secretsBackup = "";

    @Override
    public SecurityIncidentReport respond(SecurityIncidentRequest request) {
        this.request = request;
        startClock(request);
        run.start(SCENARIO, request.plan(), true);
        try {
            RecoveryPlan plan = steps.loadPlan(request.plan(), "backup section (the store the evidence is kept in)",
                    p -> p.backup() != null);
            security = plan.security();
            containMode = request.contain() == null ? security.contain() : request.contain();
            if (!SecuritySpec.CONTAIN_MODES.contains(containMode)) {
                steps.fail("plan-check", "contain must be one of " + SecuritySpec.CONTAIN_MODES + ", got \""
                        + containMode + "\"");
            }
            rtoMillis = security.rto().toMillis();
            steps.budget(startedAt + rtoMillis);
            planLoaded(SecurityContacts.routed(plan, SCENARIO, CONTACT_EVENTS), rtoMillis);
            rto.startIfLive(security.rto(), () -> !run.running());
            recoveryStarted(rtoMillis, request.requestedBy(), request.reason());
            return run.finish(Outcome.RECOVERED, respond(plan));
        } catch (Steps.Failed e) {
            SecurityIncidentReport failed = run.finish(Outcome.FAILED, "Security incident response failed at "
                    + e.getMessage());
            throw RunFailure.of(RunFailure.RECOVERY_FAILED, failed.summary(), failed);
        }
    }

    private String respond(RecoveryPlan plan) {
        ServiceSpec service = plan.service();
        // 1. Assess: reads only.
        IncidentAssessment assessment = steps.run("assess", ATTEMPTS,
                () -> reads.assessIncident(new IncidentAssessRequest(service, request.services())),
                IncidentAssessment::summary);
        containers = assessment.containers();
        if (containers.isEmpty()) {
            steps.fail("assess", "no container of " + String.join(", ", request.services().isEmpty()
                    ? service.serviceNames()
                    : request.services()) + " exists: nothing to contain");
        }

        // 2-3. Containment stops production: only after an operator says so.
        List<String> names = containers.stream().map(IncidentContainer::name).toList();
        approvals.add(gate.awaitStep(steps, CONTAIN_STEP, (SecuritySpec.STOP.equals(containMode)
                ? "Stop "
                : "Disconnect from their networks ") + names.size() + " container(s) of plan " + plan.name() + " ("
                + String.join(", ", names) + ")?", security.approvalTimeout(), "nothing was contained or changed"));
        containment = steps.run("contain", ATTEMPTS, () -> moves.contain(new ContainRequest(containMode, containers,
                plan.recovery().stopTimeout())), c -> String.join("; ", c.actions()));
        containedAt = Workflow.currentTimeMillis();
        boolean inTime = containedAt - clockStart <= security.containWithin().toMillis();
        steps.mark("contained", inTime ? StepOutcome.OK : StepOutcome.FAILED, "contained at +"
                + ReportFormatter.clock(containedAt - clockStart) + " against a target of "
                + ReportFormatter.clock(security.containWithin().toMillis()) + (inTime ? " (met)" : " (MISSED)"));

        // 4. Evidence, before anything else changes.
        evidence = steps.run("evidence", ATTEMPTS, () -> moves.preserveEvidence(new EvidenceRequest(
                plan.backup().store(), plan.name(), incidentId, containers, security.evidenceLogBytes())),
                e -> e.artifacts().size() + " artifact(s), " + e.totalBytes() + " bytes in " + e.location() + "/"
                        + e.prefix() + (e.alreadyStored() ? " (stored by an earlier attempt)" : ""));
        notifier.send(NotifyEvent.SECURITY_CONTAINED, "roma-dr: security incident contained: " + notifier.subject(),
                String.join(", ", names) + " contained (" + containMode + "); evidence in " + evidence.location()
                        + "/" + evidence.prefix(),
                "Approve the rotation and redeploy: roma-dr approve " + workflowId + " --as <you>");

        // 5. The destructive part waits for its own approval.
        approvals.add(gate.awaitStep(steps, ROTATE_STEP, "Rotate the credentials of plan " + plan.name()
                + " and redeploy " + String.join(", ", names) + " from the backup registry's known-good images?",
                security.approvalTimeout(), "contained, evidence kept; no credential rotated, nothing redeployed"));

        // 6. Rotate: every credential, each its own step, once per incident.
        rotate(plan);

        // 7. Redeploy from known-good.
        redeploy(plan, service);

        // 8. Verify.
        ServiceActivities checks = steps.stub(ServiceActivities.class, plan.recovery().waitHealthy().plusMinutes(1),
                Duration.ofSeconds(5), Retries.of(ATTEMPTS));
        HealthResult healthy = steps.check("wait-healthy", ATTEMPTS, () -> checks.waitHealthy(new HealthRequest(
                service.composeProject(), service.healthChecks(), plan.recovery().waitHealthy(),
                plan.recovery().pollInterval())), h -> h.summary(), HealthResult::attempt, HealthResult::healthy);
        List<HealthCheck> all = new ArrayList<>(service.healthChecks());
        all.addAll(service.smoke());
        HealthResult verified = healthy.healthy()
                ? steps.check("verify", ATTEMPTS, () -> checks.check(HealthRequest.once(service.composeProject(),
                        all)), HealthResult::summary, HealthResult::attempt, HealthResult::healthy)
                : healthy;
        if (!verified.healthy()) {
            throw new Steps.Failed("verify: " + verified.summary());
        }

        // 9. A fresh encrypted secrets backup of the new credentials.
        freshSecretsBackup(plan);

        return "Contained " + names.size() + " container(s) (" + containMode + ") at +"
                + ReportFormatter.clock(containedAt - clockStart) + (inTime ? "" : " (target MISSED)") + ", kept "
                + evidence.artifacts().size() + " evidence artifact(s), rotated " + rotations.size()
                + " credential(s), redeployed " + (images == null ? 0 : images.images().size())
                + " known-good image(s); verified.";
    }

    private void rotate(RecoveryPlan plan) {
        List<CommandStep> commands = security.rotate();
        var secrets = plan.backup().secrets();
        if (secrets == null && commands.isEmpty()) {
            steps.mark("rotation-inventory", StepOutcome.SKIPPED, "the plan names no credentials (no backup.secrets, "
                    + "no security.rotate): nothing to rotate");
            return;
        }
        Duration longest = Duration.ofMinutes(2);
        for (CommandStep c : commands) {
            longest = c.timeout().compareTo(longest) > 0 ? c.timeout() : longest;
        }
        // A heartbeat timeout: a rotation whose worker died is retried after it, not after the whole start-to-close.
        CredentialRotationActivities rotation = steps.stub(CredentialRotationActivities.class,
                longest.plusMinutes(1), HEARTBEAT, Retries.of(ATTEMPTS));
        RotationInventory inventory = steps.run("rotation-inventory", ATTEMPTS,
                () -> rotation.inventory(new RotationInventoryRequest(plan.name(), secrets, commands)),
                i -> i.targets().size() + " credential(s): " + String.join(", ", i.targets().stream()
                        .map(t -> t.name() + (t.versionBefore().isEmpty() ? "" : " v" + t.versionBefore()))
                        .toList()));
        for (RotationTarget target : inventory.targets()) {
            rotations.add(steps.run("rotate " + target.name(), ATTEMPTS, () -> rotation.rotate(new RotationRequest(
                    plan.name(), incidentId, target, secrets, commands)), r -> r.target().name() + " "
                            + (r.target().versionBefore().isEmpty() ? "" : "v" + r.target().versionBefore() + " -> ")
                            + "v" + r.versionAfter() + (r.alreadyRotated() ? " (already rotated)" : "")));
        }
        notifier.send(NotifyEvent.CREDENTIALS_ROTATED, "roma-dr: credentials rotated: " + notifier.subject(),
                rotations.size() + " credential(s) rotated: " + String.join(", ", rotations.stream()
                        .map(r -> r.target().name() + " v" + r.versionAfter()).toList()),
                "Hand the new credentials to whoever needs them from their store; the old ones are revoked.");
    }

    private void redeploy(RecoveryPlan plan, ServiceSpec service) {
        GitBackupSpec gitSpec = plan.backup().git();
        if (request.knownGoodCommit() != null && !request.knownGoodCommit().isBlank()) {
            knownGoodCommit = request.knownGoodCommit();
            steps.mark("known-good-commit", StepOutcome.OK, knownGoodCommit + " (from the request)");
        } else if (gitSpec != null && !gitSpec.backups().isEmpty()) {
            String branch = "refs/heads/" + gitSpec.recovery().branch();
            GitProbe probe = steps.run("known-good-commit", ATTEMPTS, () -> git.probeRemote(new GitProbeRequest(
                    plan.name(), gitSpec.backups().get(0))), p -> p.remote() + " " + branch + " at "
                            + p.refs().getOrDefault(branch, "(none)"));
            if (!probe.reachable() || !probe.refs().containsKey(branch)) {
                steps.fail("known-good-commit", "the backup remote " + probe.remote() + " has no " + branch
                        + (probe.problem().isEmpty() ? "" : ": " + probe.problem()));
            }
            knownGoodCommit = probe.refs().get(branch);
        } else {
            steps.mark("known-good-commit", StepOutcome.SKIPPED, "no known-good commit in the request and the plan "
                    + "has no backup git remote");
        }
        if (plan.backup().images() == null) {
            steps.fail("known-good-images", "the plan has no backup.images section: there is no backup registry to "
                    + "take known-good digests from, so nothing was redeployed");
        }
        List<String> refs = new ArrayList<>(new LinkedHashSet<>(containers.stream().map(IncidentContainer::image)
                .toList()));
        images = steps.run("known-good-images", ATTEMPTS, () -> moves.stageKnownGoodImages(new KnownGoodImagesRequest(
                plan.backup().images(), refs)), k -> String.join("; ",
                        k.images().stream()
                                .map(i -> i.image() + " = " + i.digest()).toList()));
        List<String> affected = new ArrayList<>(new LinkedHashSet<>(containers.stream().map(IncidentContainer::service)
                .toList()));
        ServiceActivities recreate = steps.stub(ServiceActivities.class, plan.recovery().stopTimeout()
                .multipliedBy(containers.size()).plusMinutes(2), Duration.ofSeconds(5), Retries.of(ATTEMPTS));
        steps.run("redeploy", ATTEMPTS, () -> recreate.recreate(new RecreateRequest(service, plan.recovery()
                .stopTimeout(), workflowId + "/redeploy", affected)), ActionResult::detail, ActionResult::attempt);
    }

    private void freshSecretsBackup(RecoveryPlan plan) {
        if (plan.backup().secrets() == null) {
            steps.mark("secrets-backup", StepOutcome.SKIPPED, "the plan has no backup.secrets section");
            return;
        }
        int index = steps.begin("secrets-backup");
        SecretsBackupWorkflow child = Workflow.newChildWorkflowStub(SecretsBackupWorkflow.class,
                ChildWorkflowOptions.newBuilder().setWorkflowId(workflowId + "-secrets-backup").build());
        try {
            BackupReport backup = child.backup(new BackupRequest(plan.name(), workflowId));
            secretsBackup = backup.manifest() == null ? backup.summary() : backup.manifest().objectKey();
            steps.end(index, StepOutcome.OK, secretsBackup);
        } catch (ChildWorkflowFailure e) {
            steps.end(index, StepOutcome.FAILED, Steps.message(e));
            throw new Steps.Failed("secrets-backup: " + Steps.message(e));
        }
    }

    @Override
    protected SecurityIncidentReport report(String summary) {
        List<StepRecord> timeline = steps.snapshot();
        return new SecurityIncidentReport(workflowId, request.plan(), request.requestedBy(), request.reason(),
                run.outcome(), clockStart, run.now(), rtoMillis, security.containWithin().toMillis(), containMode,
                containedAt, containers, containment, evidence, approvals, gate.pending(), rotations, knownGoodCommit,
                images, secretsBackup, timeline, summary, incident);
    }
}
