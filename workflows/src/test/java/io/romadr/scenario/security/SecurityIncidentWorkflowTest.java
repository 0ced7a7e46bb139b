package io.romadr.scenario.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.notify.FakeNotifications;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ContactChannels;
import io.romadr.plan.ContactSpec;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRecoverySpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RegistryEndpoint;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.SecuritySpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.ApprovalDecision;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.gitloss.GitProbe;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.InOrder;

/**
 * The security incident's workflow logic with mocked activities: the order of its steps, both approvals (a rejection
 * stops before containment or before rotation), a failing rotation fails the run with its report, the security
 * contacts hear it.
 */
class SecurityIncidentWorkflowTest {
    static final String COMMIT = "7".repeat(40);
    static final String DIGEST = "sha256:" + "a".repeat(64);
    static final IncidentContainer ROMA = new IncidentContainer("roma", "abc123", "roma-roma-1", "running",
            "127.0.0.1:5000/roma:latest", "sha256:" + "b".repeat(64), List.of("127.0.0.1:5000/roma@sha256:"
                    + "b".repeat(64)),
            List.of("roma_default"));

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(SecurityIncidentWorkflowImpl.class, FakeSecretsBackup.class)
            .setDoNotStart(true)
            .build();

    /** The child the incident starts for its fresh secrets backup: says which key it stored. */
    public static class FakeSecretsBackup implements SecretsBackupWorkflow {
        @Override
        public BackupReport backup(BackupRequest request) {
            long now = Workflow.currentTimeMillis();
            return new BackupReport(Workflow.getInfo().getWorkflowId(), BackupKind.SECRETS, request.plan(),
                    request.requestedBy(), Outcome.RECOVERED, now, now, null, null, List.of(),
                    "secrets/roma/20261207T160000Z.pgp", null);
        }

        @Override
        public BackupReport progress() {
            return null;
        }
    }

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final SecurityIncidentActivities security = mock(SecurityIncidentActivities.class,
            withSettings().withoutAnnotations());
    private final CredentialRotationActivities rotation = mock(CredentialRotationActivities.class,
            withSettings().withoutAnnotations());
    private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private final GitRecoveryActivities git = mock(GitRecoveryActivities.class, withSettings().withoutAnnotations());
    private final FakeNotifications notifications = new FakeNotifications();
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    static RecoveryPlan plan(boolean secrets) {
        ServiceSpec svc = new ServiceSpec("roma", List.of(new ServiceContainer("roma", null)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        GitBackupSpec gitSpec = new GitBackupSpec(new GitRemote("origin", "git://127.0.0.1:9418/roma.git", null, null,
                null, null), List.of(new GitRemote("backup", "git://127.0.0.1:9419/roma.git", null, null, null, null)),
                false, new GitRecoverySpec(List.of(), null, List.of(), null, null));
        ImageBackupSpec images = new ImageBackupSpec(new RegistryEndpoint("http://127.0.0.1:5000", null, null),
                new RegistryEndpoint("http://127.0.0.1:5001", null, null), List.of("roma"), null, null, null);
        SecretsBackupSpec secretsSpec = secrets
                ? new SecretsBackupSpec(new SecretsBackupSpec.VaultSource("http://127.0.0.1:8200", null,
                        List.of("roma/app"), null), null, List.of("/etc/roma-dr/backup.asc"))
                : null;
        BackupSpec backup = new BackupSpec(new BackupStore("file:///var/backups/roma-dr", null, null, null), null,
                null, secretsSpec, null, null, null, gitSpec, images);
        List<ContactSpec> contacts = List.of(new ContactSpec("security-team", "Security", "Sec", null, null, null,
                new ContactChannels(null, "security", null, null, null)));
        SecuritySpec sec = new SecuritySpec(null, null, null, null, null, List.of(new CommandStep("registry-token",
                List.of("rotate-registry-token"), null, null, null)), List.of("security-team"));
        return new RecoveryPlan("roma", "test", svc, new RtoTargets(Duration.ofMinutes(15), null, null, null, null),
                null, null, backup, null, contacts, null, null, null, sec);
    }

    private void healthyIncident() {
        when(security.assessIncident(any())).thenReturn(new IncidentAssessment(List.of(ROMA), List.of()));
        when(security.contain(any())).thenReturn(new ContainResult(true, List.of("roma-roma-1 stopped")));
        when(security.preserveEvidence(any())).thenReturn(new EvidenceManifest("file:/var/backups/roma-dr",
                "evidence/roma/wf-x", List.of(new EvidenceArtifact("roma-roma-1/diff.txt", 12, "c".repeat(64))),
                "evidence/roma/wf-x/manifest.json", "d".repeat(64), false));
        when(rotation.inventory(any())).thenReturn(new RotationInventory(List.of(
                new RotationTarget(RotationKind.VAULT_KV, "roma/app", "3"),
                new RotationTarget(RotationKind.COMMAND, "registry-token", ""))));
        when(rotation.rotate(any())).thenAnswer(inv -> {
            RotationTarget t = ((RotationRequest) inv.getArgument(0)).target();
            return new RotationResult(t, t.kind() == RotationKind.COMMAND ? "" : "4", false, List.of("password"), "");
        });
        when(git.probeRemote(any())).thenReturn(new GitProbe("backup", "git://127.0.0.1:9419/roma.git", true,
                Map.of("refs/heads/main", COMMIT), ""));
        when(security.stageKnownGoodImages(any())).thenReturn(new KnownGoodImages("http://127.0.0.1:5001",
                List.of(new KnownGoodImage("127.0.0.1:5000/roma:latest", DIGEST, "127.0.0.1:5001/roma@" + DIGEST,
                        "sha256:" + "e".repeat(64)))));
        when(service.recreate(any())).thenReturn(new ActionResult(true, "roma-roma-1 recreated", 1));
        HealthResult ok = new HealthResult(true, List.of(new CheckResult("http", true, "200")), 1, 10, 1);
        when(service.waitHealthy(any())).thenReturn(ok);
        when(service.check(any())).thenReturn(ok);
    }

    private SecurityIncidentWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan,
            SecurityIncidentRequest request) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, security, rotation, service, git, notifications);
        testEnv.start();
        SecurityIncidentWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(SecurityIncidentWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
        WorkflowClient.start(wf::respond, request);
        return wf;
    }

    private static SecurityIncidentRequest request() {
        return new SecurityIncidentRequest("roma", "alice", "IDS alert: reverse shell in roma", List.of(), null,
                null, null);
    }

    /** Polls the progress query until the gate {@code step} waits (time does not skip while the test polls). */
    private static void awaitApproval(SecurityIncidentWorkflow wf, String step) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            SecurityIncidentReport p = wf.progress();
            if (p != null && p.pendingApproval() != null && p.pendingApproval().step().equals(step)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the workflow never asked to approve " + step);
    }

    private void writeHistory(TestWorkflowEnvironment testEnv) {
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory("wf-" + testName), "security-incident-"
                + testName);
    }

    private static List<String> steps(SecurityIncidentReport r) {
        return r.timeline().stream().filter(s -> !s.outcome().notification()).map(StepRecord::step).toList();
    }

    private static SecurityIncidentReport reportOf(WorkflowFailedException e) {
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails().get(SecurityIncidentReport.class);
    }

    @Test
    void containsKeepsEvidenceRotatesRedeploysVerifiesAndBacksUpInThatOrder(TestWorkflowEnvironment testEnv,
            Worker worker) throws Exception {
        healthyIncident();
        SecurityIncidentWorkflow wf = start(testEnv, worker, plan(true), request());
        awaitApproval(wf, SecurityIncidentWorkflowImpl.CONTAIN_STEP);
        verify(security, never()).contain(any());
        assertTrue(wf.progress().pendingApproval().question().startsWith("Stop 1 container(s) of plan roma "
                + "(roma-roma-1)"), wf.progress().pendingApproval().question());
        wf.approve(new ApprovalDecision("alice", true, "reverse shell confirmed"));
        awaitApproval(wf, SecurityIncidentWorkflowImpl.ROTATE_STEP);
        String incidentId = "wf-" + testName + "-" + WorkflowStub.fromTyped(wf).getExecution().getRunId();
        verify(security).preserveEvidence(argThat(e -> e.incidentId().equals(incidentId)
                && e.logBytes() == 16L << 20));
        verify(rotation, never()).rotate(any());
        wf.approve(new ApprovalDecision("bob", true, ""));
        SecurityIncidentReport r = WorkflowStub.fromTyped(wf).getResult(SecurityIncidentReport.class);
        writeHistory(testEnv);

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        assertEquals(List.of("load-plan", "assess", "approval", "contain", "contained", "evidence", "approval",
                "rotation-inventory", "rotate roma/app", "rotate registry-token", "known-good-commit",
                "known-good-images", "redeploy", "wait-healthy", "verify", "secrets-backup"), steps(r));
        InOrder order = inOrder(security, rotation, service);
        order.verify(security).assessIncident(any());
        order.verify(security).contain(argThat(c -> c.mode().equals("stop") && c.containers().equals(List.of(ROMA))));
        order.verify(security).preserveEvidence(any());
        order.verify(rotation).inventory(any());
        order.verify(rotation, times(2)).rotate(argThat(x -> x.rotationId().equals(incidentId)));
        order.verify(security).stageKnownGoodImages(argThat(k -> k.images().equals(List.of(ROMA.image()))));
        order.verify(service).recreate(argThat(x -> x.services().equals(List.of("roma"))
                && x.recoveryKey().equals("wf-" + testName + "/redeploy")));
        order.verify(service).check(any());
        assertEquals(List.of("alice", "bob"), r.approvals().stream().map(a -> a.approver()).toList());
        assertEquals("reverse shell confirmed", r.approvals().get(0).reason());
        assertTrue(r.containedInTime());
        assertEquals(COMMIT, r.knownGoodCommit());
        assertEquals("secrets/roma/20261207T160000Z.pgp", r.secretsBackup());
        assertEquals(List.of("4", ""), r.rotations().stream().map(RotationResult::versionAfter).toList());
        String md = ReportFormatter.markdown(r);
        assertTrue(md.contains("| roma/app | VAULT_KV | 3 | 4 | password |"), md);
        assertTrue(md.contains("- **Approval contain:** approved by alice"), md);
        assertTrue(md.contains("against a target of 15:00 (met)") || md.contains("(met)"), md);
        assertTrue(md.contains(DIGEST), md);
        // The security contacts hear the scenario's events, containment included, through their own channels.
        List<String> heard = notifications.notices();
        assertTrue(heard.stream().anyMatch(n -> n.contains("security-contained") && n.contains("security-team")),
                heard.toString());
        assertTrue(heard.stream().anyMatch(n -> n.contains("credentials-rotated") && n.contains("security-team")),
                heard.toString());
        assertTrue(heard.stream().anyMatch(n -> n.contains("recovered") && n.contains("security-team")),
                heard.toString());
    }

    @Test
    void aRejectedContainmentChangesNothing(TestWorkflowEnvironment testEnv, Worker worker) throws Exception {
        healthyIncident();
        SecurityIncidentWorkflow wf = start(testEnv, worker, plan(false), request());
        awaitApproval(wf, SecurityIncidentWorkflowImpl.CONTAIN_STEP);
        wf.approve(new ApprovalDecision("carol", false, "false positive: a pentest"));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SecurityIncidentReport.class));
        writeHistory(testEnv);
        SecurityIncidentReport r = reportOf(e);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.summary().contains("rejected by carol: false positive: a pentest; nothing was contained"),
                r.summary());
        assertNull(r.containedAt());
        verify(security, never()).contain(any());
        verify(security, never()).preserveEvidence(any());
        verify(rotation, never()).inventory(any());
    }

    @Test
    void aRejectedRotationLeavesTheIncidentContainedWithItsEvidence(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        healthyIncident();
        SecurityIncidentWorkflow wf = start(testEnv, worker, plan(false), new SecurityIncidentRequest("roma", "alice",
                "", List.of("roma"), "disconnect", COMMIT, null));
        awaitApproval(wf, SecurityIncidentWorkflowImpl.CONTAIN_STEP);
        assertTrue(wf.progress().pendingApproval().question().startsWith("Disconnect from their networks"));
        wf.approve(new ApprovalDecision("alice", true, ""));
        awaitApproval(wf, SecurityIncidentWorkflowImpl.ROTATE_STEP);
        wf.approve(new ApprovalDecision("dave", false, "forensics first"));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SecurityIncidentReport.class));
        writeHistory(testEnv);
        SecurityIncidentReport r = reportOf(e);
        assertTrue(r.summary().contains("no credential rotated, nothing redeployed"), r.summary());
        assertEquals("disconnect", r.containMode());
        assertFalse(r.evidence().artifacts().isEmpty());
        verify(security).contain(argThat(c -> c.mode().equals("disconnect")));
        verify(rotation, never()).inventory(any());
        verify(service, never()).recreate(any());
    }

    @Test
    void aFailingRotationFailsTheRunWithItsReport(TestWorkflowEnvironment testEnv, Worker worker) throws Exception {
        healthyIncident();
        doThrow(ApplicationFailure.newNonRetryableFailure("rotate-registry-token exited 1", "CommandFailed"))
                .when(rotation).rotate(argThat(x -> x.target().kind() == RotationKind.COMMAND));
        SecurityIncidentWorkflow wf = start(testEnv, worker, plan(false), request());
        awaitApproval(wf, SecurityIncidentWorkflowImpl.CONTAIN_STEP);
        wf.approve(new ApprovalDecision("alice", true, ""));
        awaitApproval(wf, SecurityIncidentWorkflowImpl.ROTATE_STEP);
        wf.approve(new ApprovalDecision("bob", true, ""));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SecurityIncidentReport.class));
        SecurityIncidentReport r = reportOf(e);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.summary().contains("rotate registry-token: rotate-registry-token exited 1"), r.summary());
        assertEquals(1, r.rotations().size());
        StepRecord failed = r.timeline().stream().filter(s -> s.step().equals("rotate registry-token")).findFirst()
                .orElseThrow();
        assertEquals(StepOutcome.FAILED, failed.outcome());
        verify(service, never()).recreate(any());
    }
}
