package io.romadr.scenario.gitloss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.report.ApprovalDecision;
import io.romadr.backup.GitMirrorRecord;
import io.romadr.backup.GitMirrorRecordActivities;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRecoverySpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;
import io.romadr.temporal.RecoveryFollower;
import io.romadr.report.StepRecord;
import io.romadr.report.StepOutcome;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.romadr.notify.FakeNotifications;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 4's workflow logic with mocked activities: choice, approval gate (given, rejected, timed out), restore; and
 * the client-side follower on it.
 */
class GitRecoveryWorkflowTest {
    static final Map<String, String> OLD = Map.of("refs/heads/main", "1".repeat(40));
    static final Map<String, String> NEW = Map.of("refs/heads/main", "9".repeat(40), "refs/tags/v1", "8".repeat(40));
    static final GitRemote ORIGIN = new GitRemote("origin", "git://127.0.0.1:9418/roma.git", null, null, null, null);
    static final GitRemote BACKUP = new GitRemote("backup", "git://127.0.0.1:9419/roma.git", null, null, null, null);

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(GitRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final GitRecoveryActivities git = mock(GitRecoveryActivities.class, withSettings().withoutAnnotations());
    private final GitMirrorRecordActivities records = mock(GitMirrorRecordActivities.class,
            withSettings().withoutAnnotations());
    private String testName;
    /** Hears something only when the plan has routes. */
    private final FakeNotifications notifications = new FakeNotifications();

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    static RecoveryPlan plan() {
        return plan(Duration.ofMinutes(30), null);
    }

    static RecoveryPlan plan(Duration approvalTimeout, Duration rto) {
        ServiceSpec service = new ServiceSpec("roma", List.of(new ServiceContainer("roma", null)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        GitBackupSpec git = new GitBackupSpec(ORIGIN, List.of(BACKUP), false,
                new GitRecoverySpec(List.of(), null, List.of(), approvalTimeout, rto));
        BackupSpec backup = new BackupSpec(new BackupStore("file:///var/backups/roma-dr", null, null, null), null, null,
                null, null, null, null, git, null);
        return new RecoveryPlan("roma", "test", service, new RtoTargets(Duration.ofMinutes(15), null, null, null,
                null), null, null, backup, null, null, null);
    }

    /** The primary was force-pushed back to an old commit; the backup holds the newer history. */
    private void forcePushedPrimary() {
        when(git.probeRemote(any())).thenAnswer(inv -> {
            GitRemote r = ((GitProbeRequest) inv.getArgument(0)).remote();
            return new GitProbe(r.name(), r.displayUrl(), true, r == ORIGIN || r.name().equals("origin") ? OLD : NEW,
                    "");
        });
        when(git.assessCandidates(any())).thenReturn(List.of(
                new GitCandidate("origin", "remote", ORIGIN.displayUrl(), OLD, List.of(), List.of(), 3, ""),
                new GitCandidate("backup", "remote", BACKUP.displayUrl(), NEW, List.of(), List.of("origin"), 120, "")));
        when(git.restorePrimary(any())).thenReturn(new GitRestoreResult(false, List.of("refs/heads/main",
                "refs/tags/v1"), 0, ""));
        when(git.verifyPrimary(any())).thenReturn(new GitVerifyResult(true, 120, 120, List.of("9999 last"),
                List.of("9999 last"), List.of(), List.of(), ""));
    }

    private GitRecoveryWorkflow start(TestWorkflowEnvironment testEnv, Worker worker) {
        return start(testEnv, worker, plan());
    }

    private GitRecoveryWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        return start(testEnv, worker, plan, new GitRecoveryRequest("roma", "junit", List.of(), List.of()));
    }

    private GitRecoveryWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan,
            GitRecoveryRequest request) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, git, records, notifications);
        testEnv.start();
        GitRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(GitRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
        WorkflowClient.start(wf::recover, request);
        return wf;
    }

    /** Polls the progress query (time does not skip while the test is not waiting for a result). */
    private static void awaitPendingApproval(GitRecoveryWorkflow wf) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            GitRecoveryReport p = wf.progress();
            if (p != null && p.pendingApproval() != null) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the workflow never asked for approval");
    }

    private static void writeHistory(TestWorkflowEnvironment testEnv, String name) {
        try {
            Path dir = Path.of("target", "histories");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("git-recovery-" + name + ".json"),
                    testEnv.getWorkflowClient().fetchHistory("wf-" + name).toJson(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void approvedRestoreFromTheBackupThatContainsThePrimary(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        forcePushedPrimary();
        when(records.lastGitMirror(any())).thenReturn(new GitMirrorRecord("roma", "backup-git-roma-1", 1L, NEW));
        GitRecoveryWorkflow wf = start(testEnv, worker);
        awaitPendingApproval(wf);
        GitRecoveryReport waiting = wf.progress();
        // The main branch of the last good mirror is a known-good commit every acceptable history must contain.
        verify(git).assessCandidates(argThat(a -> a.knownGood().equals(List.of("9".repeat(40)))));
        assertTrue(waiting.choiceReasons().get(0).startsWith("known-good from the last mirror (backup-git-roma-1): "
                + "refs/heads/main at 9999999999"), waiting.choiceReasons().toString());
        assertEquals("backup", waiting.chosen());
        assertTrue(waiting.pendingApproval().question().startsWith("Force-update the primary origin"),
                waiting.pendingApproval().question());
        verify(git, never()).restorePrimary(any());

        String answer = wf.approve(new ApprovalDecision("alice", true, "backup checked against team records"));
        assertEquals("approved restore-primary by alice", answer);
        GitRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class);
        writeHistory(testEnv, testName);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals("alice", r.approval().approver());
        assertEquals("backup checked against team records", r.approval().reason());
        verify(git).restorePrimary(argThat(q -> q.sourceRemote().name().equals("backup") && q.refs().equals(NEW)
                && !q.primaryMissing()));
        assertTrue(r.summary().startsWith("Restored the primary origin from backup"), r.summary());
        String md = io.romadr.report.ReportFormatter.markdown(r);
        assertTrue(md.contains("- **Approval:** approved by alice (backup checked against team records)"), md);
        assertTrue(md.contains("| backup (chosen) | 120 | origin |"), md);
    }

    @Test
    void theRtoCountsFromTheDetectionTimeInTheProgressQueryAndTheReport(TestWorkflowEnvironment testEnv,
            Worker worker) throws Exception {
        forcePushedPrimary();
        when(records.lastGitMirror(any())).thenReturn(new GitMirrorRecord("roma", "backup-git-roma-1", 1L, NEW));
        long detected = testEnv.currentTimeMillis() - java.time.Duration.ofMinutes(45).toMillis();
        GitRecoveryWorkflow wf = start(testEnv, worker, plan(), new GitRecoveryRequest("roma", "junit", List.of(),
                List.of(), Instant.ofEpochMilli(detected).toString()));
        awaitPendingApproval(wf);
        GitRecoveryReport waiting = wf.progress();
        assertEquals(detected, waiting.startedAt(), "the clock starts at the detection");
        assertEquals(detected, waiting.incident().detectedAt());
        assertTrue(waiting.incident().requestedAt() > detected);

        wf.approve(new ApprovalDecision("alice", true, "checked"));
        GitRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(detected, r.startedAt());
        assertTrue(r.rtoActualMillis() >= java.time.Duration.ofMinutes(45).toMillis(), r.rtoActualMillis() + "");
        assertTrue(io.romadr.report.ReportFormatter.markdown(r).contains("(the incident's detection)"));
    }

    @Test
    void aRejectionLeavesThePrimaryUntouched(TestWorkflowEnvironment testEnv, Worker worker) throws Exception {
        forcePushedPrimary();
        GitRecoveryWorkflow wf = start(testEnv, worker);
        awaitPendingApproval(wf);
        // A rejection without a reason never reaches the workflow.
        assertThrows(WorkflowUpdateException.class, () -> wf.approve(new ApprovalDecision("bob", false, "")));
        wf.approve(new ApprovalDecision("bob", false, "the backup is missing yesterday's hotfix"));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class));
        writeHistory(testEnv, testName);
        GitRecoveryReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(GitRecoveryReport.class);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.summary().contains("rejected by bob: the backup is missing yesterday's hotfix; the primary was "
                + "not touched"), r.summary());
        verify(git, never()).restorePrimary(any());
    }

    @Test
    void noDecisionWithinTheTimeoutFailsCleanly(TestWorkflowEnvironment testEnv, Worker worker) {
        forcePushedPrimary();
        GitRecoveryWorkflow wf = start(testEnv, worker);
        // Waiting for the result lets the test server skip the 30 minutes.
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class));
        GitRecoveryReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(GitRecoveryReport.class);
        assertTrue(r.approval().timedOut());
        assertTrue(r.summary().contains("no decision within 30 min; the primary was not touched"), r.summary());
        verify(git, never()).restorePrimary(any());
    }

    @Test
    void anApprovalWithNothingPendingIsRejectedByTheValidator(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        when(git.probeRemote(any())).thenAnswer(inv -> {
            GitRemote r = ((GitProbeRequest) inv.getArgument(0)).remote();
            return new GitProbe(r.name(), r.displayUrl(), true, NEW, "");
        });
        when(git.assessCandidates(any())).thenReturn(List.of(
                new GitCandidate("origin", "remote", ORIGIN.displayUrl(), NEW, List.of(), List.of("backup"), 120, ""),
                new GitCandidate("backup", "remote", BACKUP.displayUrl(), NEW, List.of(), List.of("origin"), 120, "")));
        // Verification blocks until the test has tried to approve: nothing is pending at that moment.
        java.util.concurrent.CountDownLatch tried = new java.util.concurrent.CountDownLatch(1);
        when(git.verifyPrimary(any())).thenAnswer(inv -> {
            tried.await();
            return new GitVerifyResult(true, 120, 120, List.of(), List.of(), List.of(), List.of(), "");
        });
        GitRecoveryWorkflow wf = start(testEnv, worker);
        Instant deadline = Instant.now().plusSeconds(20);
        while (wf.progress() == null || wf.progress().chosen().isEmpty()) {
            assertTrue(Instant.now().isBefore(deadline), "no choice made in time");
            Thread.sleep(50);
        }
        WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class,
                () -> wf.approve(new ApprovalDecision("mallory", true, "")));
        assertTrue(String.valueOf(refused.getCause().getMessage()).contains("nothing is waiting for approval"),
                String.valueOf(refused.getCause()));
        tried.countDown();
        GitRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class);
        writeHistory(testEnv, testName);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertNotNull(r.verification());
        assertTrue(r.summary().startsWith("The primary origin holds every other history; nothing restored"),
                r.summary());
        verify(git, never()).restorePrimary(any());
    }

    /**
     * The client-side follower: the approval announced once with the command that answers it, every answer handed
     * to the listener, a rejected run's report taken from its failure. Its client is a plain one, so the test
     * server's time does not skip while it waits: the approval waits until the listener answers.
     */
    @Test
    void theFollowerAnnouncesTheApprovalOnceAndTakesARejectedRunsReportFromItsFailure(TestWorkflowEnvironment testEnv,
            Worker worker) throws Exception {
        forcePushedPrimary();
        start(testEnv, worker);
        WorkflowClient client = plainClient(testEnv);
        StringWriter notices = new StringWriter();
        List<ScenarioReport> seen = new ArrayList<>();
        boolean[] answered = {false};
        ScenarioReport report = new RecoveryFollower(client, Duration.ofMillis(50), new PrintWriter(notices))
                .follow("wf-" + testName, GitRecoveryWorkflow.TYPE, r -> {
                    seen.add(r);
                    if (r.pendingApproval() != null && !answered[0]) {
                        answered[0] = true;
                        client.newWorkflowStub(GitRecoveryWorkflow.class, r.workflowId())
                                .approve(new ApprovalDecision("bob", false, "not this history"));
                    }
                });

        GitRecoveryReport rejected = assertInstanceOf(GitRecoveryReport.class, report);
        assertEquals(Outcome.FAILED, rejected.outcome());
        assertEquals("not this history", rejected.approval().reason());
        assertTrue(answered[0], "the listener saw the pending approval");
        assertEquals(rejected, seen.get(seen.size() - 1), "the final report reaches the listener last");
        List<String> lines = notices.toString().lines().toList();
        assertEquals(2, lines.size(), notices::toString);
        assertTrue(lines.get(0).startsWith("waiting for approval: Force-update the primary origin"), lines.get(0));
        assertEquals("  approve: roma-dr approve wf-" + testName + "    reject: roma-dr approve wf-" + testName
                + " --reject --reason '...'", lines.get(1));
    }

    @Test
    void aTerminatedRunHasNoReport(TestWorkflowEnvironment testEnv, Worker worker) {
        forcePushedPrimary();
        start(testEnv, worker);
        WorkflowClient client = plainClient(testEnv);
        client.newUntypedWorkflowStub("wf-" + testName).terminate("test");
        RecoveryFollower.NoReport none = assertThrows(RecoveryFollower.NoReport.class,
                () -> new RecoveryFollower(client, Duration.ofMillis(50), new PrintWriter(new StringWriter()))
                        .report("wf-" + testName, GitRecoveryWorkflow.TYPE));
        assertEquals("was terminated", none.how());
        assertEquals("workflow wf-" + testName + " was terminated without a report", none.getMessage());
    }

    /** A client without the test environment's time skipping while it waits for a result. */
    private static WorkflowClient plainClient(TestWorkflowEnvironment testEnv) {
        return WorkflowClient.newInstance(testEnv.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder().setNamespace(testEnv.getNamespace()).build());
    }

    @Test
    void theProgressQueryShowsTheRtoBreachWhileTheApprovalWaits(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        forcePushedPrimary();
        GitRecoveryWorkflow wf = start(testEnv, worker, plan(Duration.ofHours(2), Duration.ofMinutes(30)));
        awaitPendingApproval(wf);
        assertTrue(wf.progress().timeline().stream().noneMatch(s -> s.outcome() == StepOutcome.BREACH));
        testEnv.sleep(Duration.ofMinutes(31));
        GitRecoveryReport waiting = wf.progress();
        assertEquals(Outcome.RUNNING, waiting.outcome());
        StepRecord breach = waiting.timeline().stream().filter(s -> s.outcome() == StepOutcome.BREACH).findFirst()
                .orElseThrow(() -> new AssertionError("no live breach in " + waiting.timeline()));
        assertEquals("rto-breached", breach.step());
        assertEquals(30, Duration.ofMillis(breach.startedAt() - waiting.startedAt()).toMinutes(), breach.toString());
        wf.approve(new ApprovalDecision("alice", true, "late but right"));
        GitRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class);
        writeHistory(testEnv, testName);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertTrue(r.rtoBreached());
    }

    /** The notices sent so far (deliveries are asynchronous): polled until {@code done} says they are there. */
    private List<Notice> awaitNotices(java.util.function.Predicate<List<Notice>> done) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            List<Notice> sent = notifications.deliveries().stream().map(d -> d.notice()).toList();
            if (done.test(sent)) {
                return sent;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("notices never arrived: " + notifications.notices());
    }

    @Test
    void anApprovalTellsWhoMustDecideHowAndTheDecisionResolvesIt(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        forcePushedPrimary();
        when(records.lastGitMirror(any())).thenReturn(new GitMirrorRecord("roma", "backup-git-roma-1", 1L, NEW));
        GitRecoveryWorkflow wf = start(testEnv, worker, FakeNotifications.withRoutes(plan()));
        awaitPendingApproval(wf);
        String id = "wf-" + testName;

        Notice pending = awaitNotices(l -> l.stream().anyMatch(n -> n.event() == NotifyEvent.APPROVAL_PENDING))
                .stream().filter(n -> n.event() == NotifyEvent.APPROVAL_PENDING).findFirst().orElseThrow();
        assertEquals(id + "/approval-pending/restore-primary", pending.key());
        assertFalse(pending.resolve());
        assertTrue(pending.title().startsWith("roma-dr: approval needed: Force-update the primary origin"),
                pending.title());
        assertTrue(pending.nextAction().contains("roma-dr approve " + id + " --as <you>"), pending.nextAction());
        assertTrue(pending.nextAction().contains("roma-dr approve " + id + " --reject --reason"),
                pending.nextAction());
        long deadline = wf.progress().pendingApproval().deadline();
        assertTrue(pending.detail().contains(Instant.ofEpochMilli(deadline).toString()), pending.detail());
        assertEquals("approval", pending.step());

        wf.approve(new ApprovalDecision("alice", true, "checked"));
        GitRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(GitRecoveryReport.class);
        writeHistory(testEnv, testName);

        assertEquals(Outcome.RECOVERED, r.outcome());
        Notice decided = notifications.deliveries().stream().map(d -> d.notice())
                .filter(n -> n.event() == NotifyEvent.APPROVAL_PENDING && n.resolve()).findFirst().orElseThrow();
        assertEquals(pending.key(), decided.key());
        assertTrue(decided.title().contains("approved by alice"), decided.title());
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(java.util.Set.of(
                id + "/recovery-started recovery-started" + pager,
                id + "/approval-pending/restore-primary approval-pending" + pager,
                id + "/approval-pending/restore-primary approval-pending resolved" + pager,
                id + "/recovery-started recovery-started resolved" + pager,
                id + "/recovered recovered" + pager,
                id + "/recovered recovered -> " + FakeNotifications.ONCALL_SLACK.describe()),
                java.util.Set.copyOf(notifications.notices()));
        assertEquals(6, r.timeline().stream().filter(s -> s.outcome() == StepOutcome.NOTIFIED).count(),
                r.timeline().toString());
        assertEquals("verify", r.currentStep());
    }
}
