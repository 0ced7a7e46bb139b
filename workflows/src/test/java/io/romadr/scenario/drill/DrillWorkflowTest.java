package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.RunFailure;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillWorkflow.DrillActionItem;
import io.romadr.scenario.drill.DrillWorkflow.DrillNote;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.Assessment;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.ContainerStatus;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** A drill of Scenario 1: the real recovery workflow as its child, against mocked service activities. */
// Concurrent (with other classes, and its cases with each other): a case waits out a lost worker's real timeouts;
// each case has a test server and fakes of its own.
@Execution(ExecutionMode.CONCURRENT)
class DrillWorkflowTest {
    static final String WORKFLOW_ID = "drill-test";

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(DrillWorkflowImpl.class, ServiceRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private final FakeDrill drill = new FakeDrill();
    private final FakeNotifications notifications = new FakeNotifications();
    private String testName = "unnamed";

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        when(plans.loadPlan("roma")).thenReturn(plan());
    }

    /** Injects, documents and verifies as told; counts the injections. */
    static final class FakeDrill implements DrillActivities {
        final List<FaultRequest> injected = new ArrayList<>();
        boolean verifies = true;
        /** The Data Loss the verification measures ("" = not measured). */
        String dataLoss = "";

        @Override
        public DrillState documentState(DocumentStateRequest request) {
            return new DrillState(List.of("container roma-roma-1 (roma): running, image sha256:aaa",
                    "newest state backup: none"), Map.of("roma", "sha256:aaa"));
        }

        /** Set: the first injection breaks the target, then its worker "dies" (the call never answers in time). */
        java.util.concurrent.CountDownLatch firstCallHangs;

        @Override
        public FaultResult injectFault(FaultRequest request) {
            int attempt = io.temporal.activity.Activity.getExecutionContext().getInfo().getAttempt();
            if (!injected.isEmpty()) {
                // Looks before it acts, as the real one does: the target is down since the drill's own call.
                return new FaultResult(false, false,
                        "roma-roma-1 already down since the drill began (an earlier attempt)", attempt);
            }
            injected.add(request);
            if (firstCallHangs != null) {
                try {
                    firstCallHangs.await(2, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new FaultResult(true, false, request.fault() + "ed roma-roma-1", attempt);
        }

        @Override
        public DrillVerification verifyRecovered(VerifyRecoveredRequest request) {
            return verifies
                    ? new DrillVerification(true, List.of("health check http: ok",
                            "roma-roma-1 running image " + request.before().imageDigests().get("roma") + " as before"),
                            List.of(), dataLoss)
                    : new DrillVerification(false, List.of("health check http: FAILED"),
                            List.of("health check http: connection refused"));
        }

        /** An in-memory backup store of drill reports. */
        final List<StoredDrillReport> stored = new ArrayList<>();

        @Override
        public StoredDrillReport storeReport(StoreDrillReportRequest request) {
            DrillReport r = request.report();
            String prefix = "drills/" + r.plan() + "/" + r.date() + "-" + r.scenario() + "-" + r.workflowId();
            StoredDrillReport s = new StoredDrillReport(r.plan(), r.scenario(), r.workflowId(), r.date(), r.startedAt(),
                    Boolean.TRUE.equals(r.success()), r.rtoTargetMillis(), r.rtoActualMillis(),
                    r.signOffs().stream().allMatch(o -> !o.name().isEmpty()), "memory:" + prefix + ".html", prefix);
            stored.removeIf(o -> o.keyPrefix().equals(prefix));
            stored.add(s);
            return s;
        }

        @Override
        public DrillCatalog listReports(ListDrillReportsRequest request) {
            return new DrillCatalog(request.plan(), request.store().uri(),
                    stored.stream().filter(s -> s.plan().equals(request.plan())).toList(), "");
        }
    }

    static RecoveryPlan plan() {
        ServiceSpec service = new ServiceSpec("roma",
                List.of(new ServiceContainer("roma", new ContainerTemplate("roma:1", null, null, null, null, null,
                        null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ZERO, Duration.ofSeconds(30), 1);
        return new RecoveryPlan("roma", "test", service, new RtoTargets(Duration.ofMinutes(15), null, null, null,
                null), null, settings, null, null, null, null);
    }

    private static Assessment exited() {
        return new Assessment(true, "20.10", 1L << 30, 1L << 32,
                List.of(new ContainerStatus("roma", "c1", "roma-roma-1", "exited", "", 137, 0, "")), List.of(), 1);
    }

    private static HealthResult health(boolean ok) {
        return new HealthResult(ok, List.of(new CheckResult("http", ok, ok ? "HTTP 200" : "connection refused")),
                1, 10, 1);
    }

    private DrillWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, DrillRequest request) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        worker.registerActivitiesImplementations(plans, svc, drill, notifications);
        testEnv.start();
        DrillWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(DrillWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId(WORKFLOW_ID).build());
        WorkflowClient.start(wf::drill, request);
        return wf;
    }

    private static DrillRequest request(Duration signOffTimeout) {
        return new DrillRequest("roma", "service-failure", "kill", "", "carol", "olga", "oscar", "mia", null,
                signOffTimeout, "junit");
    }

    /** The drill's result: its report, also when the drill failed (the failure carries it). */
    private DrillReport result(TestWorkflowEnvironment testEnv, DrillWorkflow wf) {
        WorkflowStub stub = WorkflowStub.fromTyped(wf);
        try {
            return stub.getResult(DrillReport.class);
        } catch (WorkflowFailedException e) {
            ApplicationFailure failure = (ApplicationFailure) e.getCause();
            assertEquals(RunFailure.DRILL_FAILED, failure.getType());
            return RunFailure.reportOf(e, DrillReport.class);
        } finally {
            HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory(WORKFLOW_ID), "drill-" + testName);
        }
    }

    private static List<String> phases(DrillReport r) {
        return r.timeline().stream().map(t -> t.phase() + ":" + t.action()).toList();
    }

    @Test
    void aDrillWhoseServiceRecoversPassesWithNotesActionItemsAndAMissingSignOff(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(exited());
        when(svc.restart(any())).thenReturn(new ActionResult(true, "restarted roma", 1));
        when(svc.waitHealthy(any())).thenReturn(health(true));
        when(svc.check(any())).thenReturn(health(true));

        DrillWorkflow wf = start(testEnv, worker, request(Duration.ofHours(2)));
        assertEquals("noted", wf.note(new DrillNote("oscar", "the alert took 3 minutes to fire")));
        wf.actionItem(new DrillActionItem("oscar", "lower the alert's for: to 1m", "sre-oncall"));
        wf.signOff(new DrillSignOff("operator", "olga", "fine"));
        wf.signOff(new DrillSignOff("observer", "oscar", ""));
        // Refused by the validators: an unknown role, an empty name, an empty note.
        assertThrows(WorkflowUpdateException.class, () -> wf.signOff(new DrillSignOff("janitor", "jo", "")));
        assertThrows(WorkflowUpdateException.class, () -> wf.signOff(new DrillSignOff("manager", " ", "")));
        assertThrows(WorkflowUpdateException.class, () -> wf.note(new DrillNote("oscar", "")));
        DrillReport running = wf.progress();
        assertNull(running.success());
        assertEquals(0, running.finishedAt());

        DrillReport r = result(testEnv, wf);

        assertEquals(Boolean.TRUE, r.success(), r.summary() + " " + r.issues());
        assertEquals("Service restart (Scenario 1)", r.scenarioName());
        assertEquals("olga", r.operator());
        assertEquals("oscar", r.observer());
        assertEquals("carol", r.coordinator());
        assertEquals(Duration.ofMinutes(15).toMillis(), r.rtoTargetMillis());
        assertNotNull(r.rtoActualMillis());
        assertTrue(r.rtoActualMillis() >= 0 && r.rtoActualMillis() < r.rtoTargetMillis(), r.rtoActualMillis()
                + "");
        assertEquals("None", r.dataLoss());
        assertEquals("drill-test-recovery", r.recoveryWorkflowId());
        assertTrue(r.objective().contains("15m") && r.objective().contains("kill of roma"), r.objective());
        assertEquals(1, drill.injected.size());
        assertEquals("kill", drill.injected.get(0).fault());
        assertEquals("roma", drill.injected.get(0).target());
        assertEquals(List.of("container roma-roma-1 (roma): running, image sha256:aaa", "newest state backup: none"),
                r.stateBefore());

        // The recovery's parts, fault to healthy, are rows of their own.
        assertEquals(List.of("fault -> recovery requested", "recovery requested -> first step (queue wait)",
                "first step -> healthy"),
                r.timeline().stream().map(TimelineRow::action).filter(a -> a.contains(
                        " -> ")).toList());
        List<String> timeline = phases(r).stream().filter(a -> !a.contains(" -> ")).toList();
        assertEquals(List.of("pre-drill:load-plan", "pre-drill:document-state", "pre-drill:success-criteria",
                "pre-drill:roles", "fault:inject-fault", "fault:start-timer", "recovery:recovery",
                "recovery:load-plan", "recovery:assess", "recovery:restart", "recovery:wait-healthy",
                "recovery:verify", "verify:stop-timer", "verify:verify-recovered", "post-drill:sign-off",
                "post-drill:store-report"),
                timeline);
        TimelineRow restart = r.timeline().stream().filter(t -> t.action().equals("restart")).findFirst()
                .orElseThrow();
        assertEquals("Success: restarted roma", restart.result());
        assertTrue(r.timeline().stream().filter(t -> t.action().equals("verify-recovered")).findFirst()
                .orElseThrow().result().contains("sha256:aaa as before"));

        assertEquals(1, r.issues().size(), r.issues().toString());
        assertTrue(r.issues().get(0).endsWith("oscar: the alert took 3 minutes to fire"), r.issues().get(0));
        assertEquals(List.of(new DrillReport.ActionItem("lower the alert's for: to 1m", "sre-oncall", false)),
                r.actionItems());
        assertEquals(List.of("operator", "observer", "manager"),
                r.signOffs().stream().map(DrillReport.SignOffRecord::role).toList());
        assertEquals("olga", r.signOffs().get(0).name());
        assertTrue(r.signOffs().get(0).at() > 0);
        assertEquals("oscar", r.signOffs().get(1).name());
        assertEquals("", r.signOffs().get(2).name());
        assertEquals(0, r.signOffs().get(2).at());
        assertEquals("not signed within 2h", r.signOffs().get(2).note());
        assertTrue(r.finishedAt() - r.startedAt() >= Duration.ofHours(2).toMillis());
        // The report is final: nothing more is taken.
        assertThrows(RuntimeException.class, () -> wf.note(new DrillNote("oscar", "late")));
    }

    @Test
    void aDrillWhoseServiceDoesNotRecoverFailsWithItsReport(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(exited());
        when(svc.restart(any())).thenReturn(new ActionResult(true, "restarted roma", 1));
        when(svc.recreate(any())).thenReturn(new ActionResult(true, "recreated roma", 1));
        when(svc.waitHealthy(any())).thenReturn(health(false));
        drill.verifies = false;

        DrillWorkflow wf = start(testEnv, worker, request(Duration.ofMinutes(30)));
        wf.signOff(new DrillSignOff("manager", "mia", "we need to fix this"));

        DrillReport r = result(testEnv, wf);

        assertEquals(Boolean.FALSE, r.success());
        assertNull(r.rtoActualMillis());
        assertTrue(r.summary().startsWith("Drill failed: the service did not recover"), r.summary());
        assertTrue(r.issues().stream().anyMatch(i -> i.startsWith("The service was not recovered: ")), r.issues()
                .toString());
        assertTrue(r.issues().stream().anyMatch(i -> i.startsWith("Recovery step wait-healthy failed")), r.issues()
                .toString());
        assertTrue(r.issues().contains("Verification after the recovery: health check http: connection refused"),
                r.issues().toString());
        assertTrue(r.timeline().stream().anyMatch(t -> t.phase().equals("recovery") && t.action().equals("recreate")));
        assertFalse(r.dataLoss().equals("None"));
        assertEquals("mia", r.signOffs().get(2).name());
        assertEquals("not signed within 30m", r.signOffs().get(0).note());
    }

    @Test
    void anUnknownFaultInjectsNothingAndFails(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillWorkflow wf = start(testEnv, worker, new DrillRequest("roma", "service-failure", "melt:roma", "",
                "carol", "olga", "oscar", "mia", Duration.ofMinutes(5), Duration.ofMinutes(1), "junit"));

        DrillReport r = result(testEnv, wf);

        assertEquals(Boolean.FALSE, r.success());
        assertEquals(Duration.ofMinutes(5).toMillis(), r.rtoTargetMillis());
        assertTrue(drill.injected.isEmpty());
        assertTrue(r.issues().get(0).startsWith("No fault injected: unknown fault \"melt\""), r.issues().toString());
    }

    @Test
    void aPlanWithoutWhatTheScenarioNeedsLoadsThePlanThenFailsWithItsReportAtOnce(TestWorkflowEnvironment testEnv,
            Worker worker) {
        DrillWorkflow wf = start(testEnv, worker, new DrillRequest("roma", "site-loss", "", "", "carol", "olga",
                "oscar", "mia", null, null, "junit"));

        DrillReport r = result(testEnv, wf);

        assertEquals(Boolean.FALSE, r.success());
        assertEquals("Full disaster recovery (Scenario 3)", r.scenarioName());
        assertTrue(drill.injected.isEmpty());
        assertEquals(List.of("pre-drill:load-plan", "pre-drill:scenario-check"), phases(r));
        assertTrue(r.signOffs().isEmpty(), "a drill that never ran waits for no sign-off");
        assertEquals("Not run: plan roma has no site section, so a lost site cannot be rebuilt.", r.summary());
    }

    @Test
    void anUnknownScenarioLoadsThePlanThenFailsWithItsReportAtOnce(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillWorkflow wf = start(testEnv, worker, new DrillRequest("roma", "moon-landing", "", "", "carol", "olga",
                "oscar", "mia", null, null, "junit"));

        DrillReport r = result(testEnv, wf);

        assertEquals(Boolean.FALSE, r.success());
        assertTrue(drill.injected.isEmpty());
        assertEquals(List.of("pre-drill:load-plan", "pre-drill:scenario-check"), phases(r));
        assertEquals("Not run: no fault injection for scenario \"moon-landing\".", r.summary());
        assertTrue(r.issues().get(0).contains("(known: service-failure, data-corruption, site-loss, git-loss)"),
                r.issues().toString());
    }

    @Test
    void theTeamHearsTheDrillStartBeforeTheFaultAndItsResultAfterTheSignOffs(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(plans.loadPlan("roma")).thenReturn(FakeNotifications.withRoutes(plan()));
        when(svc.assess(any())).thenReturn(exited());
        when(svc.restart(any())).thenReturn(new ActionResult(true, "restarted roma", 1));
        when(svc.waitHealthy(any())).thenReturn(health(true));
        when(svc.check(any())).thenReturn(health(true));

        DrillReport r = result(testEnv, start(testEnv, worker, request(Duration.ofMinutes(10))));

        assertEquals(Boolean.TRUE, r.success(), r.issues().toString());
        List<String> notices = notifications.notices();
        String pager = FakeNotifications.ONCALL_PAGER.describe();
        // Exactly the drill's own start and end: its recovery (the child) leaves telling them to the drill.
        assertEquals(List.of(WORKFLOW_ID + "/drill-started drill-started -> " + pager,
                WORKFLOW_ID + "/drill-finished drill-finished -> " + pager), notices);
        // The recovery, requested by the drill, pages nobody about its RTO and tells no recovery-started.
        assertTrue(notices.stream().noneMatch(n -> n.contains("recovery-started") || n.contains("rto-")), notices
                .toString());
        // Sent before the fault; its line is written when the delivery completes.
        TimelineRow told = r.timeline().stream().filter(t -> t.action().equals("notify")).findFirst().orElseThrow();
        assertEquals("pre-drill", told.phase());
        assertTrue(told.result().contains("(drill-started)"), told.result());
    }

    @Test
    void aWorkerLostDuringTheInjectionInjectsOnceAndTheDrillPasses(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(exited());
        when(svc.restart(any())).thenReturn(new ActionResult(true, "restarted roma", 1));
        when(svc.waitHealthy(any())).thenReturn(health(true));
        when(svc.check(any())).thenReturn(health(true));
        drill.firstCallHangs = new java.util.concurrent.CountDownLatch(1);
        try {
            DrillReport r = result(testEnv, start(testEnv, worker, request(Duration.ofMinutes(1))));

            assertEquals(Boolean.TRUE, r.success(), r.issues().toString());
            assertEquals(1, drill.injected.size());
            TimelineRow inject = r.timeline().stream().filter(t -> t.action().equals("inject-fault")).findFirst()
                    .orElseThrow();
            assertTrue(inject.result().startsWith("Success: roma-roma-1 already down since the drill began"),
                    inject.result());
        } finally {
            drill.firstCallHangs.countDown();
        }
    }
}
