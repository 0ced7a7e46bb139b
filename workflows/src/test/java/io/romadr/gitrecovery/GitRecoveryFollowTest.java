package io.romadr.gitrecovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.backup.GitMirrorRecordActivities;
import io.romadr.plan.PlanActivities;
import io.romadr.report.ApprovalDecision;
import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;
import io.romadr.temporal.RecoveryFollower;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client-side follower on a real (in-process) Temporal with Scenario 4's workflow and mocked activities: the
 * approval is announced once with the command that answers it, every progress answer reaches the listener, and a
 * rejected run's report is taken from its failure. The follower's client is a plain one, so the test server's time
 * does not skip while it waits: the approval waits until the listener answers.
 */
class GitRecoveryFollowTest {
    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(GitRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final GitRecoveryActivities git = mock(GitRecoveryActivities.class, withSettings().withoutAnnotations());
    private final GitMirrorRecordActivities records = mock(GitMirrorRecordActivities.class,
            withSettings().withoutAnnotations());

    @Test
    void announcesTheApprovalOnceAndTakesARejectedRunsReportFromItsFailure(TestWorkflowEnvironment testEnv,
            Worker worker) throws Exception {
        WorkflowClient client = start(testEnv, worker, "wf-follow-rejected");
        StringWriter notices = new StringWriter();
        List<ScenarioReport> seen = new ArrayList<>();
        boolean[] answered = {false};
        ScenarioReport report = new RecoveryFollower(client, Duration.ofMillis(50), new PrintWriter(notices))
                .follow("wf-follow-rejected", GitRecoveryWorkflow.TYPE, r -> {
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
        assertEquals("  approve: roma-dr approve wf-follow-rejected    reject: roma-dr approve wf-follow-rejected "
                + "--reject --reason '...'", lines.get(1));
    }

    @Test
    void aTerminatedRunHasNoReport(TestWorkflowEnvironment testEnv, Worker worker) {
        WorkflowClient client = start(testEnv, worker, "wf-follow-terminated");
        client.newUntypedWorkflowStub("wf-follow-terminated").terminate("test");
        RecoveryFollower.NoReport none = assertThrows(RecoveryFollower.NoReport.class,
                () -> new RecoveryFollower(client, Duration.ofMillis(50), new PrintWriter(new StringWriter()))
                        .report("wf-follow-terminated", GitRecoveryWorkflow.TYPE));
        assertEquals("was terminated", none.how());
        assertEquals("workflow wf-follow-terminated was terminated without a report", none.getMessage());
    }

    private WorkflowClient start(TestWorkflowEnvironment testEnv, Worker worker, String id) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        when(plans.loadPlan("roma")).thenReturn(GitRecoveryWorkflowTest.plan());
        when(git.probeRemote(any())).thenAnswer(inv -> {
            var r = ((GitProbeRequest) inv.getArgument(0)).remote();
            return new GitProbe(r.name(), r.displayUrl(), true, r.name().equals("origin")
                    ? GitRecoveryWorkflowTest.OLD : GitRecoveryWorkflowTest.NEW, "");
        });
        when(git.assessCandidates(any())).thenReturn(List.of(
                new GitCandidate("origin", "remote", GitRecoveryWorkflowTest.ORIGIN.displayUrl(),
                        GitRecoveryWorkflowTest.OLD, List.of(), List.of(), 3, ""),
                new GitCandidate("backup", "remote", GitRecoveryWorkflowTest.BACKUP.displayUrl(),
                        GitRecoveryWorkflowTest.NEW, List.of(), List.of("origin"), 120, "")));
        worker.registerActivitiesImplementations(plans, git, records);
        testEnv.start();
        WorkflowClient client = WorkflowClient.newInstance(testEnv.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder().setNamespace(testEnv.getNamespace()).build());
        GitRecoveryWorkflow wf = client.newWorkflowStub(GitRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId(id).build());
        WorkflowClient.start(wf::recover, new GitRecoveryRequest("roma", "junit", List.of(), List.of()));
        return client;
    }
}
