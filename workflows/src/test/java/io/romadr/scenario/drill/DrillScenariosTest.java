package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.SeedPlan;
import io.romadr.report.ApprovalDecision;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.report.TriggerNotice;
import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflow;
import io.romadr.scenario.datacorruption.DataRecoveryReport;
import io.romadr.scenario.datacorruption.DataRecoveryRequest;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.romadr.scenario.gitloss.GitRecoveryReport;
import io.romadr.scenario.gitloss.GitRecoveryRequest;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import io.romadr.scenario.siteloss.ForensicsRequest;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drills of Scenarios 2-4 on the seed's plan ({@code deploy/plans/roma.yaml}): the fault each scenario's request
 * names, the RTO target the plan sets for it, the scenario's recovery as the child (a stand-in here that takes 30
 * seconds), the verification's data loss in the report, the report kept in the backup store; and a child that does
 * not recover gives a failed drill with its report.
 */
class DrillScenariosTest {
    private static final long RECOVERY_MILLIS = 30_000;
    /** What the stand-in recoveries do: recover, or fail with their report. */
    static volatile boolean childRecovers = true;

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(DrillWorkflowImpl.class, DataRecovery.class, SiteRecovery.class,
                    GitRecovery.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final DrillWorkflowTest.FakeDrill drill = new DrillWorkflowTest.FakeDrill();
    private final FakeNotifications notifications = new FakeNotifications();

    @BeforeEach
    void plan() {
        RecoveryPlan roma = SeedPlan.load();
        when(plans.loadPlan("roma")).thenReturn(roma);
        childRecovers = true;
    }

    @Test
    void aDataCorruptionDrillTruncatesArtifactsAndReportsTheVerifiedDataLoss(TestWorkflowEnvironment testEnv,
            Worker worker) {
        drill.dataLoss = "1 of 20 artifacts differ from before the fault (restored from an older backup): run-1.json";
        DrillReport r = passed(testEnv, worker, "data-corruption", "");

        FaultRequest fault = drill.injected.get(0);
        assertEquals("data-corruption", fault.scenario());
        assertEquals("truncate", fault.fault());
        assertEquals("", fault.target());
        assertEquals("roma", fault.plan().name());
        assertEquals(Duration.ofHours(4).toMillis(), r.rtoTargetMillis(), "the plan's rto.artifacts");
        // From the fault to the recovery's end: the 30 s the recovery took plus the child's start.
        assertTrue(r.rtoActualMillis() >= RECOVERY_MILLIS && r.rtoActualMillis() < RECOVERY_MILLIS + 5_000,
                r.rtoActualMillis() + " ms");
        assertTrue(r.objective().startsWith("Corrupted artifacts (truncate) detected and repaired from backups within"
                + " 4h"), r.objective());
        assertEquals(drill.dataLoss, r.dataLoss());
        assertEquals("Backup restore (Scenario 2)", r.scenarioName());
        assertTrue(r.summary().startsWith("Drill passed: the data recovered and was verified"), r.summary());
        assertStoredOnce(r);
    }

    @Test
    void aSiteLossDrillRemovesTheSiteAndIsHeldToTheSiteLossRto(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillReport r = passed(testEnv, worker, "site-loss", "");

        assertEquals("remove-site", drill.injected.get(0).fault());
        assertEquals(Duration.ofMinutes(90).toMillis(), r.rtoTargetMillis(), "the plan's rto.siteLoss");
        assertEquals("None", r.dataLoss());
        assertTrue(r.timeline().stream().anyMatch(t -> t.phase().equals("recovery") && t.action().equals(
                "rebuild-site")), r.timeline().toString());
        assertStoredOnce(r);
    }

    @Test
    void aGitLossDrillForcePushesTheNamedBranch(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillReport r = passed(testEnv, worker, "git-loss", "force-push:release");

        FaultRequest fault = drill.injected.get(0);
        assertEquals("force-push", fault.fault());
        assertEquals("release", fault.target());
        assertTrue(r.objective().startsWith("The git primary recovered from its backup remotes (force-push)"),
                r.objective());
        assertStoredOnce(r);
    }

    @Test
    void aFaultOfAnotherScenarioInjectsNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillWorkflow wf = start(testEnv, worker, "git-loss", "kill");

        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(DrillReport.class));
        DrillReport r = report(e);

        assertTrue(drill.injected.isEmpty());
        assertTrue(r.issues().get(0).contains("unknown fault \"kill\" (known: [force-push, delete])"),
                r.issues().toString());
    }

    @Test
    void aRecoveryThatFailsGivesAFailedDrillWithItsReport(TestWorkflowEnvironment testEnv, Worker worker) {
        childRecovers = false;
        DrillWorkflow wf = start(testEnv, worker, "data-corruption", "widespread");
        signOff(wf);

        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(wf).getResult(DrillReport.class));
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory(DrillWorkflowTest.WORKFLOW_ID),
                "drill-data-corruption-fails");
        DrillReport r = report(e);

        assertEquals(Boolean.FALSE, r.success());
        assertEquals("Not known: the data was not recovered", r.dataLoss());
        assertTrue(r.issues().stream().anyMatch(i -> i.equals("The data was not recovered: no good backup")),
                r.issues().toString());
        assertTrue(r.summary().startsWith("Drill failed: the data did not recover"), r.summary());
        assertStoredOnce(r);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private DrillReport passed(TestWorkflowEnvironment testEnv, Worker worker, String scenario, String fault) {
        DrillWorkflow wf = start(testEnv, worker, scenario, fault);
        signOff(wf);
        DrillReport r = WorkflowStub.fromTyped(wf).getResult(DrillReport.class);
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory(DrillWorkflowTest.WORKFLOW_ID), "drill-"
                + scenario + "-passes");
        assertEquals(Boolean.TRUE, r.success(), r.summary() + " " + r.issues());
        assertEquals(1, drill.injected.size());
        assertEquals(scenario, r.scenario());
        return r;
    }

    private DrillWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, String scenario, String fault) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        worker.registerActivitiesImplementations(plans, drill, notifications);
        testEnv.start();
        DrillWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(DrillWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue())
                        .setWorkflowId(DrillWorkflowTest.WORKFLOW_ID)
                        .build());
        WorkflowClient.start(wf::drill, new DrillRequest("roma", scenario, fault, "", "carol", "olga", "oscar",
                "mia", null, Duration.ofHours(1), "junit"));
        return wf;
    }

    /** The three sign-offs: accepted any time before the report is final (here, while the recovery runs). */
    private static void signOff(DrillWorkflow wf) {
        wf.signOff(new DrillSignOff("operator", "olga", ""));
        wf.signOff(new DrillSignOff("observer", "oscar", ""));
        wf.signOff(new DrillSignOff("manager", "mia", ""));
    }

    private static DrillReport report(WorkflowFailedException e) {
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertEquals(RunFailure.DRILL_FAILED, af.getType());
        return af.getDetails().get(DrillReport.class);
    }

    private void assertStoredOnce(DrillReport r) {
        assertEquals(1, drill.stored.size(), drill.stored.toString());
        StoredDrillReport s = drill.stored.get(0);
        assertEquals("drills/roma/" + r.date() + "-" + r.scenario() + "-" + r.workflowId(), s.keyPrefix());
        assertEquals(Boolean.TRUE.equals(r.success()), s.success());
        assertTrue(r.timeline().stream().anyMatch(t -> t.action().equals("store-report") && t.result().equals(
                "Success: memory:" + s.keyPrefix() + ".html")), r.timeline().toString());
        assertFalse(r.issues().stream().anyMatch(i -> i.contains("could not be stored")), r.issues().toString());
    }

    /** One step of a stand-in recovery, {@link #RECOVERY_MILLIS} long. */
    private static List<StepRecord> step(String name, long startedAt) {
        Workflow.sleep(Duration.ofMillis(RECOVERY_MILLIS));
        return List.of(new StepRecord(name, 1, startedAt, Workflow.currentTimeMillis(), 1,
                childRecovers ? StepOutcome.OK : StepOutcome.FAILED, childRecovers ? "done" : "no good backup"));
    }

    private static ApplicationFailure failed(String summary, Object report) {
        return RunFailure.of(RunFailure.RECOVERY_FAILED, summary, report);
    }

    public static final class DataRecovery implements DataCorruptionRecoveryWorkflow {
        @Override
        public DataRecoveryReport recover(DataRecoveryRequest request) {
            long at = Workflow.currentTimeMillis();
            List<StepRecord> steps = step("restore-artifacts", at);
            Outcome outcome = childRecovers ? Outcome.RECOVERED : Outcome.FAILED;
            DataRecoveryReport r = new DataRecoveryReport(Workflow.getInfo().getWorkflowId(), request.plan(),
                    request.requestedBy(), request.reason(), outcome, at, Workflow.currentTimeMillis(),
                    Duration.ofHours(4).toMillis(), 0, null, null, null, "", null, null, null, null, steps,
                    childRecovers ? "restored" : "no good backup", null);
            if (!childRecovers) {
                throw failed(r.summary(), r);
            }
            return r;
        }

        @Override
        public DataRecoveryReport progress() {
            return null;
        }

        @Override
        public void triggerNotice(TriggerNotice notice) {
        }
    }

    public static final class SiteRecovery implements SiteRecoveryWorkflow {
        @Override
        public SiteRecoveryReport recover(SiteRecoveryRequest request) {
            long at = Workflow.currentTimeMillis();
            List<StepRecord> steps = step("rebuild-site", at);
            return new SiteRecoveryReport(Workflow.getInfo().getWorkflowId(), request.plan(), "docker",
                    request.requestedBy(), request.reason(), Outcome.RECOVERED, at, Workflow.currentTimeMillis(),
                    Duration.ofMinutes(90).toMillis(), false, Workflow.currentTimeMillis(), null, null, null, null,
                    null, "", "", null, null, null, null, null, null, null, null, steps, "rebuilt");
        }

        @Override
        public SiteRecoveryReport progress() {
            return null;
        }

        @Override
        public String keepForForensics(ForensicsRequest request) {
            return "";
        }

        @Override
        public void validateKeep(ForensicsRequest request) {
        }

        @Override
        public String approve(ApprovalDecision decision) {
            return "";
        }

        @Override
        public void validateApprove(ApprovalDecision decision) {
        }

        @Override
        public void triggerNotice(TriggerNotice notice) {
        }
    }

    public static final class GitRecovery implements GitRecoveryWorkflow {
        @Override
        public GitRecoveryReport recover(GitRecoveryRequest request) {
            long at = Workflow.currentTimeMillis();
            List<StepRecord> steps = step("restore-primary", at);
            return new GitRecoveryReport(Workflow.getInfo().getWorkflowId(), request.plan(), request.requestedBy(),
                    Outcome.RECOVERED, at, Workflow.currentTimeMillis(), Duration.ofMinutes(30).toMillis(), null,
                    null, "", null, null, null, null, null, steps, "restored", null);
        }

        @Override
        public GitRecoveryReport progress() {
            return null;
        }

        @Override
        public String approve(ApprovalDecision decision) {
            return "";
        }

        @Override
        public void validateApprove(ApprovalDecision decision) {
        }

        @Override
        public void triggerNotice(TriggerNotice notice) {
        }
    }
}
