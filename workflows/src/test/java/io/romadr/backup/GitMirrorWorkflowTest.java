package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The git mirror workflow's logic with mocked activities (the JGit activities are tested on real git daemons). */
class GitMirrorWorkflowTest {
    private static final Map<String, String> REFS = Map.of("refs/heads/main", "a".repeat(40),
            "refs/tags/v1", "b".repeat(40));

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(GitMirrorWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final GitMirrorActivities git = mock(GitMirrorActivities.class, withSettings().withoutAnnotations());
    private final GitMirrorRecordActivities records = mock(GitMirrorRecordActivities.class,
            withSettings().withoutAnnotations());
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private GitMirrorWorkflow start(TestWorkflowEnvironment testEnv, Worker worker) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(BackupFixtures.plan(true));
        when(git.fetchPrimary(any())).thenReturn(new GitRefs("origin", REFS));
        worker.registerActivitiesImplementations(plans, git, records);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(GitMirrorWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
    }

    private static GitPushResult equal(String remote, List<String> created) {
        return new GitPushResult(remote, created, List.of(), List.of(), List.of(), REFS.size() - created.size(),
                !created.isEmpty(), true, "");
    }

    private static GitMirrorReport details(WorkflowFailedException e) {
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails().get(GitMirrorReport.class);
    }

    @Test
    void everyBackupGetsThePrimarysRefs(TestWorkflowEnvironment testEnv, Worker worker) {
        when(git.pushBackup(any())).thenAnswer(inv -> equal(((GitPushRequest) inv.getArgument(0)).backup().name(),
                List.of("refs/heads/main")));
        GitMirrorReport r = start(testEnv, worker).mirror(new BackupRequest("roma", "junit"));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "git-" + testName);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(REFS, r.primaryRefs());
        assertEquals(List.of("backup-1", "backup-2"), r.backups().stream().map(GitPushResult::remote).toList());
        verify(git).pushBackup(argThat(p -> p.backup().name().equals("backup-1") && p.refs().equals(REFS)
                && !p.allowForceUpdate()));
        verify(git).pushBackup(argThat(p -> p.backup().name().equals("backup-2")));
        assertTrue(r.timeline().stream().anyMatch(s -> s.step().equals("push-backup-2")
                && s.outcome() == StepOutcome.OK), r.timeline().toString());
        assertTrue(r.summary().contains("2 ref change(s)"), r.summary());
        // The refs every backup now equals are kept in the store: Scenario 4's known-good commits.
        verify(records).recordGitMirror(argThat(q -> q.record().refs().equals(REFS)
                && q.record().workflowId().equals("wf-" + testName) && q.store().uri().startsWith("file:")));
    }

    @Test
    void anUnreachableBackupFailsOnlyItsOwnRowAfterRetries(TestWorkflowEnvironment testEnv, Worker worker) {
        when(git.pushBackup(argThat(p -> p != null && p.backup().name().equals("backup-1"))))
                .thenReturn(equal("backup-1", List.of()));
        when(git.pushBackup(argThat(p -> p != null && p.backup().name().equals("backup-2"))))
                .thenThrow(new IllegalStateException("backup remote backup-2 unreachable: connection refused"));
        GitMirrorWorkflow wf = start(testEnv, worker);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.mirror(new BackupRequest("roma", "junit")));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "git-" + testName);
        GitMirrorReport r = details(e);
        assertEquals(Outcome.FAILED, r.outcome());
        GitPushResult one = r.backups().get(0);
        GitPushResult two = r.backups().get(1);
        assertTrue(one.ok(), one.toString());
        assertFalse(two.ok());
        assertTrue(two.problem().contains("backup-2 unreachable: connection refused"), two.problem());
        assertTrue(r.summary().startsWith("1 of 2 backup remote(s) not equal"), r.summary());
        verify(git, times(4)).pushBackup(argThat(p -> p != null && p.backup().name().equals("backup-2")));
        verify(records, never()).recordGitMirror(any());
        StepRecord failed = r.timeline().stream().filter(s -> s.step().equals("push-backup-2")).findFirst()
                .orElseThrow();
        assertEquals(StepOutcome.FAILED, failed.outcome());
    }

    @Test
    void aRefusedRewriteFailsTheRunVisibly(TestWorkflowEnvironment testEnv, Worker worker) {
        when(git.pushBackup(any())).thenAnswer(inv -> new GitPushResult(
                ((GitPushRequest) inv.getArgument(0)).backup().name(), List.of(), List.of(), List.of(),
                List.of("refs/heads/main: non-fast-forward (backup keeps 1a2b3c4, primary has 9f8e7d6)"), 1, false,
                true, ""));
        GitMirrorWorkflow wf = start(testEnv, worker);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.mirror(new BackupRequest("roma", "junit")));
        GitMirrorReport r = details(e);
        assertTrue(r.summary().contains("refused refs/heads/main: non-fast-forward"), r.summary());
    }

    @Test
    void aPrimaryThatCannotBeFetchedPushesNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        GitMirrorWorkflow wf = start(testEnv, worker);
        when(git.fetchPrimary(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
                "primary has no branches; refusing to mirror an empty repository over the backups", "EmptyPrimary"));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.mirror(new BackupRequest("roma", "junit")));
        GitMirrorReport r = details(e);
        assertTrue(r.summary().contains("fetch-primary: primary has no branches"), r.summary());
        verify(git, never()).pushBackup(any());
    }
}
