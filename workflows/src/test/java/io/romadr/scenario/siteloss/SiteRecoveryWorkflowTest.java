package io.romadr.scenario.siteloss;

import io.romadr.notify.FakeNotifications;
import io.romadr.notify.NotifyEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.report.ApprovalDecision;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.FileDigest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RegionsSpec;
import io.romadr.plan.ReplicaSpec;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.SiteSpec;
import io.romadr.plan.StateBackupSpec;
import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scenario 3's workflow with an in-memory site: the runbook's order, the saga's paths, operator control. */
class SiteRecoveryWorkflowTest {
    static final long NOW = 1_790_000_000_000L;

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(SiteRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final DataRecoveryActivities data = mock(DataRecoveryActivities.class, withSettings().withoutAnnotations());
    private final FakeSite site = new FakeSite();
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    static RecoveryPlan plan(boolean approveCutover, boolean withSite) {
        return plan(approveCutover, withSite, null);
    }

    static RecoveryPlan plan(boolean approveCutover, boolean withSite, Duration siteLossRto) {
        ContainerTemplate template = new ContainerTemplate("registry.example/roma-builder:latest", null, null,
                List.of("127.0.0.1:8080:8080"), List.of("/srv/roma/state:/app/.roma", "/srv/roma/out:/app/out"), null,
                null, null);
        ServiceSpec service = new ServiceSpec("roma", List.of(new ServiceContainer("roma", template)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        GitBackupSpec git = new GitBackupSpec(new GitRemote("origin", "git://127.0.0.1:9418/roma.git", null, null, null,
                null), List.of(new GitRemote("backup", "git://127.0.0.1:9419/roma.git", null, null, null, null)), false,
                null);
        SecretsBackupSpec secrets = new SecretsBackupSpec(new SecretsBackupSpec.VaultSource("http://127.0.0.1:8200",
                null, List.of("roma/app"), null), null, List.of("keys/ops.asc"));
        BackupSpec backup = new BackupSpec(new BackupStore("file:///var/backups/roma-dr", null, null, null),
                new StateBackupSpec("roma", "/app/.roma"), new ArtifactBackupSpec("roma", "/app/out", List.of("*.json"),
                        null),
                secrets, null, null, null, git, null);
        SiteSpec spec = new SiteSpec("docker", new SiteSpec.DockerSite("roma-dr/site-host:test"), null, "/srv/roma",
                null, List.of(new CommandStep("install", List.of("true"), null, null, null)),
                List.of(new CommandStep("build", List.of("true"), null, null, null)), List.of(),
                new SiteSpec.SiteDns("zone-file", "example.internal", "roma.example.internal", null, null,
                        "/tmp/zone", null, null),
                approveCutover, Duration.ofHours(2), null, null, Duration.ofMinutes(2), Duration.ofSeconds(30));
        return new RecoveryPlan("roma", "test", service, new RtoTargets(Duration.ofMinutes(15), null, null, null,
                siteLossRto), null, null, backup, withSite ? spec : null, null, null);
    }

    static final String PRIMARY_STORE = "file:///var/backups/roma-dr";
    static final String REPLICA_STORE = "s3://roma-backups-us-west-2";

    /** The plan of {@link #plan(boolean, boolean)} with regions us-east-1/us-west-2, a replica and a failover site. */
    static RecoveryPlan regionPlan() {
        RecoveryPlan p = plan(false, true);
        SiteSpec s = p.site();
        SiteSpec.FailoverSite west = new SiteSpec.FailoverSite("aws", null, new SiteSpec.AwsSite("us-west-2", null,
                "ami-west", "t3.large", null, List.of(), null, "roma-staging-west", List.of()));
        SiteSpec site = new SiteSpec(s.provider(), s.docker(), s.aws(), s.appDir(), s.envFile(), s.bootstrap(),
                s.build(), s.verify(), s.dns(), s.approveCutover(), s.approvalTimeout(), s.keepOnFailure(),
                s.readyTimeout(), s.watchWindow(), s.watchInterval(), west);
        BackupSpec b = p.backup();
        BackupSpec backup = new BackupSpec(b.store(), b.state(), b.artifacts(), b.secrets(), b.retention(),
                b.schedule(), b.verification(), b.git(), b.images(),
                new ReplicaSpec(new BackupStore(REPLICA_STORE, null, "us-west-2", null)));
        return new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(), p.recovery(), backup, site,
                p.contacts(), p.notifications(), p.drills(), new RegionsSpec("us-east-1", "us-west-2"));
    }

    static BackupManifest manifest(BackupKind kind, long createdAt, String id) {
        return new BackupManifest(BackupManifest.FORMAT, kind, "roma",
                BackupKeys.objectKey(kind, "roma", createdAt, id),
                "ab".repeat(32), 100, 3, 1000, "roma-roma-1:/app", createdAt, "wf-" + id,
                kind == BackupKind.ARTIFACTS ? List.of(new FileDigest("a.json", 10, "cd".repeat(32))) : List.of(),
                List.of(), List.of());
    }

    private SiteRecoveryWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan,
            SiteRecoveryRequest request) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        when(plans.loadPlan("roma")).thenReturn(plan);
        // Newest state snapshot is corrupt: the older one is used.
        when(backups.listBackups(any())).thenAnswer(inv -> {
            BackupKind kind = ((ListBackupsRequest) inv.getArgument(0)).kind();
            return List.of(manifest(kind, NOW - 7_200_000, "old"), manifest(kind, NOW - 600_000, "new"));
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            boolean corrupt = m.kind() == BackupKind.STATE && m.workflowId().equals("wf-new");
            return new VerifyResult(m.objectKey(), !corrupt, corrupt ? "sha256 mismatch" : "", "", 0, 0);
        });
        when(data.validateBackup(any())).thenReturn(new ArtifactCheck(1, List.of()));
        worker.registerActivitiesImplementations(plans, backups, data, site, notifications);
        testEnv.start();
        SiteRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(SiteRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
        WorkflowClient.start(wf::recover, request);
        return wf;
    }

    /** Hears something only when the plan has routes. */
    private final FakeNotifications notifications = new FakeNotifications();

    private static SiteRecoveryRequest request() {
        return new SiteRecoveryRequest("roma", null, "junit", "drill", null);
    }

    private static SiteRecoveryReport failedReport(SiteRecoveryWorkflow wf) {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class));
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails().get(SiteRecoveryReport.class);
    }

    private static void awaitPendingApproval(SiteRecoveryWorkflow wf) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            SiteRecoveryReport p = wf.progress();
            if (p != null && p.pendingApproval() != null) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the workflow never asked for approval");
    }

    private void writeHistory(TestWorkflowEnvironment testEnv) {
        try {
            Path dir = Path.of("target", "histories");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("site-recovery-" + testName + ".json"),
                    testEnv.getWorkflowClient().fetchHistory("wf-" + testName).toJson(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> stepNames(SiteRecoveryReport r) {
        return r.steps().stream().map(StepRecord::step).toList();
    }

    @Test
    void everyPhaseRunsInTheSeedsOrderAndDnsMovesLast(TestWorkflowEnvironment testEnv, Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, true), request());
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        writeHistory(testEnv);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        String newState = BackupKeys.objectKey(BackupKind.STATE, "roma", NOW - 600_000, "new");
        String oldState = BackupKeys.objectKey(BackupKind.STATE, "roma", NOW - 7_200_000, "old");
        String newArtifacts = BackupKeys.objectKey(BackupKind.ARTIFACTS, "roma", NOW - 600_000, "new");
        String newSecrets = BackupKeys.objectKey(BackupKind.SECRETS, "roma", NOW - 600_000, "new");
        assertEquals(List.of("provision", "await-ready", "run install", "source", "secrets " + newSecrets,
                "run build", "images", "start", "restore /app/.roma " + oldState, "restore /app/out " + newArtifacts,
                "health wait", "validate-artifacts", "dns-read", "dns-update [10.9.9.9]", "health once", "health once",
                "health once", "health once"), site.calls);
        assertEquals(oldState, r.stateBackup());
        assertTrue(r.rejectedBackups().get(0).startsWith(newState + ": sha256 mismatch"),
                r.rejectedBackups().toString());
        assertEquals(List.of("10.0.0.1"), r.dnsBefore().values());
        assertEquals(List.of("10.9.9.9"), r.dnsAfter().values());
        assertEquals("backup", r.source().remote());
        assertEquals("backup", r.images().registry());
        assertEquals(5, r.phases().size());
        for (PhaseRecord p : r.phases()) {
            assertNotNull(p.startedAt(), p.name());
            assertNotNull(p.endedAt(), p.name());
            assertFalse(p.overBudget(), p.name());
        }
        // Budgets scale with the plan's site-loss RTO (90 min default): the seed's 30/45/60/75/90 minute marks.
        assertEquals(List.of(30L, 45L, 60L, 75L, 90L), r.phases().stream()
                .map(p -> Duration.ofMillis(p.budgetToMillis()).toMinutes()).toList());
        assertTrue(r.compensation().isEmpty());
        assertTrue(stepNames(r).contains("watch"));
        assertTrue(r.summary().startsWith("Site restored on docker roma-recovery (srv-0) at 10.9.9.9"), r.summary());
    }

    @Test
    void aProvisionRetriedThreeTimesMakesOneServer(TestWorkflowEnvironment testEnv, Worker worker) {
        site.failProvisionAttempts = 2;
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, true), request());
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(3, site.provisionAttempts.get());
        assertEquals(1, site.servers.size());
        StepRecord provision = r.steps().stream().filter(s -> s.step().equals("provision")).findFirst().orElseThrow();
        assertEquals(3, provision.attempts(), provision.toString());
        assertTrue(provision.detail().endsWith("(attempt 3)"), provision.detail());
    }

    @Test
    void aRelapseAfterTheCutoverPutsDnsBackThenTerminatesTheServer(TestWorkflowEnvironment testEnv, Worker worker) {
        site.unhealthyAfterCutover = true;
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, true), request());
        SiteRecoveryReport r = failedReport(wf);
        writeHistory(testEnv);
        assertEquals(Outcome.FAILED, r.outcome());
        List<String> tail = site.calls.subList(site.calls.size() - 2, site.calls.size());
        assertEquals(List.of("dns-restore [10.0.0.1]", "terminate srv-0"), tail);
        assertEquals(List.of("10.0.0.1"), site.record.values());
        assertTrue(site.servers.isEmpty());
        assertEquals(2, r.compensation().size(), r.compensation().toString());
        assertTrue(r.summary().contains("failed at watch: unhealthy at probe 1"), r.summary());
    }

    @Test
    void aFailureBeforeTheCutoverTerminatesAndLeavesDnsAlone(TestWorkflowEnvironment testEnv, Worker worker) {
        site.failCommand = "install";
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, true), request());
        SiteRecoveryReport r = failedReport(wf);
        assertTrue(site.calls.stream().noneMatch(c -> c.startsWith("dns")), site.calls.toString());
        assertEquals("terminate srv-0", site.calls.get(site.calls.size() - 1));
        assertTrue(r.summary().contains("failed at bootstrap: install: install exited 1"), r.summary());
        // The report still says which phase it got to.
        assertNotNull(r.phases().get(1).startedAt());
        assertNull(r.phases().get(2).startedAt());
    }

    @Test
    void keepForForensicsFromTheStartKeepsTheServer(TestWorkflowEnvironment testEnv, Worker worker) {
        site.failCommand = "build";
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, true),
                new SiteRecoveryRequest("roma", null, "alice", "drill", true));
        SiteRecoveryReport r = failedReport(wf);
        assertTrue(site.calls.stream().noneMatch(c -> c.startsWith("terminate")), site.calls.toString());
        assertEquals(1, site.servers.size());
        assertTrue(r.compensation().get(0).contains("KEPT for forensics"), r.compensation().toString());
    }

    @Test
    void aRejectedCutoverAfterAKeepUpdateChangesNoDnsAndKeepsTheServer(TestWorkflowEnvironment testEnv,
            Worker worker) throws Exception {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(true, true), request());
        awaitPendingApproval(wf);
        assertTrue(wf.progress().pendingApproval().question().startsWith("Point roma.example.internal at 10.9.9.9"),
                wf.progress().pendingApproval().question());
        assertThrows(WorkflowUpdateException.class, () -> wf.keepForForensics(new ForensicsRequest("bob", "")));
        wf.keepForForensics(new ForensicsRequest("bob", "disk image for the post-mortem"));
        wf.approve(new ApprovalDecision("bob", false, "the data looks a day old"));
        SiteRecoveryReport r = failedReport(wf);
        writeHistory(testEnv);
        assertTrue(site.calls.stream().noneMatch(c -> c.startsWith("dns") || c.startsWith("terminate")),
                site.calls.toString());
        assertEquals("bob: disk image for the post-mortem", r.keptForForensics());
        assertEquals("bob", r.approval().approver());
        assertFalse(r.approval().approved());
        assertTrue(r.summary().contains("DNS was not changed"), r.summary());
    }

    @Test
    void cancellationWhileWaitingForTheCutoverRunsTheCompensation(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(true, true), request());
        awaitPendingApproval(wf);
        WorkflowStub.fromTyped(wf).cancel();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class));
        writeHistory(testEnv);
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertEquals("terminate srv-0", site.calls.get(site.calls.size() - 1));
        assertTrue(site.servers.isEmpty());
        assertTrue(site.calls.stream().noneMatch(c -> c.startsWith("dns")), site.calls.toString());
    }

    @Test
    void aCancelledRecoveryStillResolvesWhatItOpenedAndTellsItEnded(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        SiteRecoveryWorkflow wf = start(testEnv, worker, FakeNotifications.withRoutes(plan(true, true)), request());
        awaitPendingApproval(wf);
        WorkflowStub.fromTyped(wf).cancel();
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertEquals("terminate srv-0", site.calls.get(site.calls.size() - 1));

        // Deliveries are detached from the cancelled run, which waited (bounded) for them before it closed.
        String id = "wf-" + testName;
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(java.util.Set.of(
                id + "/recovery-started recovery-started" + pager,
                id + "/approval-pending/dns-cutover approval-pending" + pager,
                id + "/approval-pending/dns-cutover approval-pending resolved" + pager,
                id + "/recovery-started recovery-started resolved" + pager,
                id + "/failed failed" + pager,
                id + "/failed failed -> " + FakeNotifications.LEAD_EMAIL.describe()),
                java.util.Set.copyOf(notifications.notices()));
        assertTrue(notifications.deliveries().stream().filter(d -> d.notice().event() == NotifyEvent.FAILED)
                .allMatch(d -> d.notice().detail().startsWith("Site recovery cancelled")),
                notifications.deliveries().toString());
    }

    @Test
    void aPlanWithoutASiteSectionFailsBeforeAnythingIsMade(TestWorkflowEnvironment testEnv, Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, false), request());
        SiteRecoveryReport r = failedReport(wf);
        assertTrue(site.calls.isEmpty(), site.calls.toString());
        assertTrue(r.summary().contains("has no site section"), r.summary());
        assertTrue(r.compensation().isEmpty());
    }

    @Test
    void anApprovedCutoverMovesDnsAndRecordsWhoApproved(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(true, true), request());
        awaitPendingApproval(wf);
        wf.approve(new ApprovalDecision("carol", true, "looks right"));
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        writeHistory(testEnv);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals("carol", r.approval().approver());
        assertTrue(r.approval().approved());
        // The DNS change comes after the approval, never before.
        assertTrue(site.calls.indexOf("dns-update [10.9.9.9]") > site.calls.indexOf("validate-artifacts"));
    }

    @Test
    void theRtoTimerMarksTheBreachWhileTheCutoverWaitsAndThePhaseIsOverBudget(TestWorkflowEnvironment testEnv,
            Worker worker) throws Exception {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(true, true, Duration.ofMinutes(30)), request());
        awaitPendingApproval(wf);
        assertFalse(wf.progress().rtoBreached());
        testEnv.sleep(Duration.ofMinutes(31));
        assertTrue(wf.progress().rtoBreached(), "the RTO timer did not fire while the recovery waited");
        wf.approve(new ApprovalDecision("dave", true, "late but right"));
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        writeHistory(testEnv);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertTrue(r.rtoBreached());
        assertTrue(r.summary().contains("(RTO BREACHED)"), r.summary());
        StepRecord breach = r.steps().stream().filter(s -> s.step().equals("rto-breached")).findFirst().orElseThrow();
        assertEquals(30, Duration.ofMillis(breach.startedAt() - r.startedAt()).toMinutes(), breach.toString());
        // Budgets scale with the 30-minute RTO: the last phase closes at 30 min, and this one ended after it.
        PhaseRecord last = r.phases().get(4);
        assertEquals(Duration.ofMinutes(30).toMillis(), last.budgetToMillis());
        assertTrue(last.overBudget(), last.toString());
        assertFalse(r.phases().get(0).overBudget());
        assertTrue(r.restoredAt() - r.startedAt() > Duration.ofMinutes(30).toMillis());
    }

    @Test
    void aRegionOutageRecoversInTheFailoverRegionFromTheReplicaStore(TestWorkflowEnvironment testEnv,
            Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, regionPlan(),
                new SiteRecoveryRequest("roma", null, "junit", "us-east-1 is down", null, "us-west-2"));
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        writeHistory(testEnv);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        // The server comes from site.failover, in us-west-2.
        SiteTarget target = site.provisioned.get(0);
        assertEquals("aws", target.provider());
        assertEquals("us-west-2", target.site().aws().region());
        assertEquals("ami-west", target.site().aws().ami());
        // Every backup was listed, checked and read from the replica; none from the primary region's store.
        org.mockito.ArgumentCaptor<ListBackupsRequest> listed = org.mockito.ArgumentCaptor.forClass(
                ListBackupsRequest.class);
        org.mockito.Mockito.verify(backups, org.mockito.Mockito.atLeast(3)).listBackups(listed.capture());
        assertTrue(listed.getAllValues().stream().allMatch(l -> l.store().uri().equals(REPLICA_STORE)),
                listed.getAllValues().toString());
        assertEquals(List.of(REPLICA_STORE, REPLICA_STORE, REPLICA_STORE), site.stores);
        // Judged against the region-outage RTO (the seed's 4 h): the phases scale with it.
        assertEquals(Duration.ofHours(4).toMillis(), r.rtoMillis());
        assertEquals(Duration.ofHours(4).toMillis(), r.phases().get(4).budgetToMillis());
        // The report says where.
        assertEquals("us-west-2", r.region());
        assertEquals(REPLICA_STORE, r.backupStore());
        assertTrue(r.summary().contains("after a region outage: in us-west-2 from the replica store " + REPLICA_STORE),
                r.summary());
        String markdown = io.romadr.report.ReportFormatter.markdown(r);
        assertTrue(markdown.contains("- **Region:** us-west-2"), markdown);
        assertTrue(markdown.contains("- **Backups from:** " + REPLICA_STORE + " (the replica store)"), markdown);
        StepRecord check = r.steps().stream().filter(s -> s.step().equals("plan-check")).findFirst().orElseThrow();
        assertTrue(check.detail().contains("RTO 4:00:00 (region outage), in us-west-2"), check.detail());
    }

    @Test
    void theSamePlanWithoutARegionIsASiteLossInThePrimaryRegion(TestWorkflowEnvironment testEnv, Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, regionPlan(), request());
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        assertEquals("docker", site.provisioned.get(0).provider());
        assertEquals(List.of(PRIMARY_STORE, PRIMARY_STORE, PRIMARY_STORE), site.stores);
        assertEquals(Duration.ofMinutes(90).toMillis(), r.rtoMillis());
        assertEquals("", r.region());
        assertEquals(PRIMARY_STORE, r.backupStore());
    }

    @Test
    void theSecretsComeFromTheirOwnStoreAndTheDataFromTheMainOne(TestWorkflowEnvironment testEnv, Worker worker) {
        RecoveryPlan p = plan(false, true);
        io.romadr.plan.BackupSpec b = p.backup();
        String secretsStore = "s3://roma-secrets/roma";
        SecretsBackupSpec secrets = new SecretsBackupSpec(b.secrets().vault(), null, b.secrets().recipients(),
                new BackupStore(secretsStore, null, null, null));
        RecoveryPlan withSecretsStore = new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(),
                p.recovery(), new io.romadr.plan.BackupSpec(b.store(), b.state(), b.artifacts(), secrets,
                        b.retention(), b.schedule(), b.verification(), b.git(), b.images()),
                p.site(), p.contacts(), p.notifications());
        SiteRecoveryWorkflow wf = start(testEnv, worker, withSecretsStore, request());
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        assertEquals(List.of(secretsStore, PRIMARY_STORE, PRIMARY_STORE), site.stores);
        org.mockito.ArgumentCaptor<ListBackupsRequest> listed = org.mockito.ArgumentCaptor.forClass(
                ListBackupsRequest.class);
        org.mockito.Mockito.verify(backups, org.mockito.Mockito.atLeast(3)).listBackups(listed.capture());
        for (ListBackupsRequest l : listed.getAllValues()) {
            assertEquals(l.kind() == BackupKind.SECRETS ? secretsStore : PRIMARY_STORE, l.store().uri(),
                    l.kind().id());
        }
    }

    @Test
    void aRequestForThePrimaryRegionIsAnOrdinarySiteLoss(TestWorkflowEnvironment testEnv, Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, regionPlan(),
                new SiteRecoveryRequest("roma", null, "junit", "server lost", null, "us-east-1"));
        SiteRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(SiteRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        assertEquals("docker", site.provisioned.get(0).provider());
        assertEquals(List.of(PRIMARY_STORE, PRIMARY_STORE, PRIMARY_STORE), site.stores);
        assertEquals(Duration.ofMinutes(90).toMillis(), r.rtoMillis());
        assertEquals("", r.region());
    }

    @Test
    void aRegionThePlanDoesNotNameIsRefusedBeforeAnythingIsProvisioned(TestWorkflowEnvironment testEnv,
            Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, regionPlan(),
                new SiteRecoveryRequest("roma", null, "junit", "wrong region", null, "eu-west-1"));
        SiteRecoveryReport r = failedReport(wf);
        assertTrue(site.calls.isEmpty(), site.calls.toString());
        assertTrue(r.summary().contains("region eu-west-1 is not a region of plan \"roma\" (primary us-east-1, "
                + "failover us-west-2)"), r.summary());
        assertTrue(r.compensation().isEmpty());
    }

    @Test
    void aProviderTheFailoverSiteLacksIsRefusedNamingSiteFailover(TestWorkflowEnvironment testEnv, Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, regionPlan(),
                new SiteRecoveryRequest("roma", "docker", "junit", "region down", null, "us-west-2"));
        SiteRecoveryReport r = failedReport(wf);
        assertTrue(site.calls.isEmpty(), site.calls.toString());
        assertTrue(r.summary().contains("provider docker needs site.failover.docker.image"), r.summary());
    }

    @Test
    void aRegionRequestForAPlanWithoutRegionsIsRefusedBeforeAnythingIsProvisioned(TestWorkflowEnvironment testEnv,
            Worker worker) {
        SiteRecoveryWorkflow wf = start(testEnv, worker, plan(false, true),
                new SiteRecoveryRequest("roma", null, "junit", "region down", null, "us-west-2"));
        SiteRecoveryReport r = failedReport(wf);
        assertTrue(site.calls.isEmpty(), site.calls.toString());
        assertTrue(r.summary().contains("names no regions"), r.summary());
    }
}
