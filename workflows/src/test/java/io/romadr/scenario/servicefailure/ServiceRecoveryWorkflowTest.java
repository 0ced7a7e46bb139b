package io.romadr.scenario.servicefailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.notify.NotifyEvent;
import io.romadr.plan.CommandStep;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every escalation path of Scenario 1 with mocked activities, on the SDK's time-skipping test server. */
class ServiceRecoveryWorkflowTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    /** Delivers unless a test says otherwise; hears something only when the plan has routes. */
    private FakeNotifications notifications = new FakeNotifications();

    private ServiceRecoveryReport run(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        return run(testEnv, worker, plan, "junit");
    }

    private ServiceRecoveryReport run(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan,
            String requestedBy) {
        registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, svc, notifications);
        testEnv.start();
        ServiceRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-test").build());
        ServiceRecoveryReport report = recover(wf, new ServiceRecoveryRequest("roma", "unit test", requestedBy));
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory("wf-test"), testName);
        return report;
    }

    /** The report: the result of a recovery that recovered, the failure's details of one that did not. */
    private ServiceRecoveryReport recover(ServiceRecoveryWorkflow wf, ServiceRecoveryRequest request) {
        try {
            ServiceRecoveryReport report = wf.recover(request);
            failedExecution = false;
            return report;
        } catch (WorkflowFailedException e) {
            ApplicationFailure failure = (ApplicationFailure) e.getCause();
            assertEquals("RecoveryFailed", failure.getType());
            assertTrue(failure.isNonRetryable());
            failedExecution = true;
            ServiceRecoveryReport report = failure.getDetails().get(ServiceRecoveryReport.class);
            assertEquals(report.summary(), failure.getOriginalMessage());
            return report;
        }
    }

    private boolean failedExecution;

    private String testName = "unnamed";

    @org.junit.jupiter.api.BeforeEach
    void name(org.junit.jupiter.api.TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        // The watch activity sees the service healthy for its window unless a test says otherwise.
        when(svc.watch(any())).thenAnswer(inv -> Fixtures.watched(inv.getArgument(0)));
    }

    static void registerSearchAttributes(TestWorkflowEnvironment testEnv) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
    }

    private static List<String> steps(ServiceRecoveryReport r) {
        return r.timeline().stream().map(s -> s.step() + ":" + s.outcome()).toList();
    }

    private static StepRecord step(ServiceRecoveryReport r, String name) {
        return r.timeline().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no step " + name + " in " + steps(r)));
    }

    /** roma exited; a restart makes it healthy. */
    private void restartHeals() {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());
    }

    @Test
    void restartIsEnough(TestWorkflowEnvironment testEnv, Worker worker) {
        restartHeals();

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertFalse(r.rtoBreached());
        assertEquals(List.of("load-plan:OK", "assess:OK", "restart:OK", "wait-healthy:OK", "verify:OK", "watch:OK"),
                steps(r));
        assertTrue(r.summary().startsWith("Recovered by restart"), r.summary());
        verify(svc).restart(org.mockito.ArgumentMatchers.argThat(req -> req.services().equals(List.of("roma"))));
        verify(svc, never()).recreate(any());
        // The watch window is one activity: 2 minutes of probes every 30 s.
        verify(svc).watch(org.mockito.ArgumentMatchers.argThat(q -> q.within().equals(Duration.ofMinutes(2))
                && q.pollInterval().equals(Duration.ofSeconds(30))));
        assertEquals(4, step(r, "watch").attempts());
        assertNotNull(r.rtoActualMillis());
        assertTrue(r.rtoActualMillis() < r.rtoTargetMillis());
    }

    @Test
    void recreateWhenRestartDoesNotHeal(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.unhealthy(), Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(List.of("load-plan:OK", "assess:OK", "restart:OK", "wait-healthy:FAILED", "recreate:OK",
                "wait-healthy:OK", "verify:OK", "watch:OK"), steps(r));
        assertTrue(r.summary().startsWith("Recovered by recreate"), r.summary());
    }

    @Test
    void removedContainerSkipsRestart(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.missing());
        when(svc.recreate(any())).thenReturn(Fixtures.done("created roma from the plan's template"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(StepOutcome.SKIPPED, step(r, "restart").outcome());
        verify(svc, never()).restart(any());
    }

    @Test
    void rebuildWhenRecreateDoesNotHeal(TestWorkflowEnvironment testEnv, Worker worker) {
        List<CommandStep> rebuild = List.of(
                new CommandStep("pull", List.of("git", "pull"), null, null, null),
                new CommandStep("build", List.of("docker", "build", "."), null, null, null));
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated"));
        when(svc.runCommand(any())).thenReturn(Fixtures.done("exit 0"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.unhealthy(), Fixtures.unhealthy(), Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMinutes(15), Duration.ZERO, rebuild));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(List.of("load-plan:OK", "assess:OK", "restart:OK", "wait-healthy:FAILED", "recreate:OK",
                "wait-healthy:FAILED", "rebuild: pull:OK", "rebuild: build:OK", "recreate:OK", "wait-healthy:OK",
                "verify:OK"), steps(r));
        assertTrue(r.summary().startsWith("Recovered by rebuild"), r.summary());
        verify(svc, times(2)).runCommand(any());
    }

    @Test
    void nothingWorksFailsTheWorkflowWithItsReport(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.unhealthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertTrue(failedExecution, "a recovery that did not recover is a FAILED execution");
        assertEquals(Outcome.FAILED, r.outcome());
        assertNull(r.rtoActualMillis());
        assertEquals(StepOutcome.SKIPPED, step(r, "rebuild").outcome());
        assertTrue(r.summary().startsWith("Not recovered"), r.summary());
    }

    @Test
    void alreadyHealthyChangesNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.running());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMinutes(15), Duration.ZERO, List.of()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(List.of("load-plan:OK", "assess:OK", "check:OK", "verify:OK"), steps(r));
        verify(svc, never()).restart(any());
        verify(svc, never()).recreate(any());
    }

    @Test
    void activityFailuresAreRetriedAndCounted(TestWorkflowEnvironment testEnv, Worker worker) {
        AtomicInteger calls = new AtomicInteger();
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenAnswer(inv -> {
            if (calls.incrementAndGet() < 3) {
                throw ApplicationFailure.newFailure("engine busy", "DockerException");
            }
            return new ActionResult(true, "restarted roma", 3);
        });
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMinutes(15), Duration.ZERO, List.of()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(3, calls.get());
        assertEquals(3, step(r, "restart").attempts());
    }

    @Test
    void activityThatKeepsFailingMovesToTheNextLevel(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenThrow(ApplicationFailure.newFailure("no such container", "NotFound"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMinutes(15), Duration.ZERO, List.of()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        StepRecord restart = step(r, "restart");
        assertEquals(StepOutcome.FAILED, restart.outcome());
        assertEquals(ServiceRecoveryWorkflowImpl.ACTION_ATTEMPTS, restart.attempts());
        assertTrue(restart.detail().contains("no such container"), restart.detail());
        verify(svc, times(ServiceRecoveryWorkflowImpl.ACTION_ATTEMPTS)).restart(any());
    }

    @Test
    void unknownPlanFailsWithoutTouchingTheService(TestWorkflowEnvironment testEnv, Worker worker) {
        registerSearchAttributes(testEnv);
        when(plans.loadPlan(anyString())).thenThrow(
                ApplicationFailure.newNonRetryableFailure("no plan \"nope\"", "PlanNotFound"));
        worker.registerActivitiesImplementations(plans, svc);
        testEnv.start();
        ServiceRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).build());

        ServiceRecoveryReport r = recover(wf, ServiceRecoveryRequest.of("nope"));

        assertTrue(failedExecution, "a plan that does not load fails the execution");
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(StepOutcome.FAILED, step(r, "load-plan").outcome());
        assertTrue(step(r, "load-plan").detail().contains("no plan"));
        assertTrue(r.summary().contains("no plan \"nope\""), r.summary());
        verify(svc, never()).assess(any());
    }

    @Test
    void relapseDuringWatchStartsTheEscalationAgain(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        // verify ok, then the first watch sees a failing probe, then all is well.
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        org.mockito.Mockito.doReturn(Fixtures.unhealthy(), Fixtures.healthy()).when(svc).watch(any());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(1, r.relapses());
        assertEquals(StepOutcome.FAILED, r.timeline().stream().filter(s -> s.step().equals("watch"))
                .findFirst().orElseThrow().outcome());
        assertEquals(2, r.timeline().stream().filter(s -> s.step().equals("restart")).count());
        assertEquals(2, r.timeline().get(r.timeline().size() - 1).round());
    }

    @Test
    void rtoTimerMarksTheBreachWhenTheBudgetIsSpentAndRecoveryContinues(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.waitHealthy(any())).thenAnswer(inv -> {
            Thread.sleep(2_000); // a slow step: the budget runs out while it is still running
            return Fixtures.healthy();
        });
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMillis(500), Duration.ZERO, List.of()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertFalse(failedExecution, "recovered with the RTO breached is a COMPLETED execution");
        assertTrue(r.rtoBreached());
        long breachAfter = r.rtoBreachedAt() - r.startedAt();
        // A timer, not an afterthought: it fires at the budget (time runs for real while an activity runs),
        // long before the slow step ends.
        assertTrue(breachAfter >= 500 && breachAfter < 1_500, "breach marked at +" + breachAfter + " ms");
        StepRecord waited = step(r, "wait-healthy");
        assertTrue(r.rtoBreachedAt() < waited.endedAt(), "breach must be marked while the step still runs");
        assertEquals(StepOutcome.BREACH, step(r, "rto-breached").outcome());
        assertTrue(r.summary().contains("RTO BREACHED"), r.summary());
        var attributes = testEnv.getWorkflowClient().newUntypedWorkflowStub("wf-test").describe()
                .getTypedSearchAttributes();
        assertEquals(Boolean.TRUE, attributes.get(io.romadr.runtime.RomaSearchAttributes.RTO_BREACHED));
        assertEquals("RECOVERED", attributes.get(io.romadr.runtime.RomaSearchAttributes.OUTCOME));
        assertEquals("roma", attributes.get(io.romadr.runtime.RomaSearchAttributes.PLAN));
    }

    @Test
    void noBreachWhenRestoredInTimeEvenIfTheWatchOutlastsTheBudget(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        org.mockito.Mockito.doAnswer(inv -> {
            Thread.sleep(1_500); // the watch outlasts the budget (time runs for real while an activity runs)
            return Fixtures.watched(inv.getArgument(0));
        }).when(svc).watch(any());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMillis(500), Duration.ofMinutes(5),
                List.of()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertFalse(r.rtoBreached());
        assertNull(r.rtoBreachedAt());
        assertTrue(r.finishedAt() - r.startedAt() > 500, "the run ended within the budget");
    }

    @Test
    void aResolvedAlertIsRecordedAndTheRecoveryCarriesOn(TestWorkflowEnvironment testEnv, Worker worker) {
        registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(Fixtures.plan());
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        worker.registerActivitiesImplementations(plans, svc);
        testEnv.start();
        ServiceRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-signal").build());
        WorkflowClient.start(wf::recover, ServiceRecoveryRequest.of("roma"));
        wf.alertNotice(new AlertNotice("alertmanager", "abc123", "resolved", "2026-11-26T10:00:00Z", "RomaDown"));

        ServiceRecoveryReport r = io.temporal.client.WorkflowStub.fromTyped(wf).getResult(ServiceRecoveryReport.class);

        assertEquals(Outcome.RECOVERED, r.outcome());
        StepRecord notice = step(r, "alert-resolved");
        assertTrue(notice.detail().contains("alertmanager abc123 at 2026-11-26T10:00:00Z: RomaDown"),
                notice.detail());
        assertEquals(StepOutcome.OK, step(r, "watch").outcome());
    }

    /**
     * The same recovery as {@link #restartIsEnough} (a 2-minute watch, a probe every 30 s), recorded before the
     * watch was one activity (version 0 of WATCH_IN_ONE_ACTIVITY): a timer and a check activity per probe.
     */
    static final String WATCH_BEFORE = "src/test/resources/histories/service-recovery-v3-restartIsEnough.json";

    @Test
    void theWatchWritesAFewHistoryEventsInsteadOfSomeForEveryProbe(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        restartHeals();

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertEquals(Outcome.RECOVERED, r.outcome());
        int after = testEnv.getWorkflowClient().fetchHistory("wf-test").getEvents().size();
        int before = io.temporal.common.WorkflowExecutionHistory.fromJson(
                java.nio.file.Files.readString(java.nio.file.Path.of(WATCH_BEFORE))).getEvents().size();
        assertEquals(84, before);
        // 4 probes: each was a timer and a check activity with their workflow tasks; now one activity in all.
        assertTrue(after < before * 0.6, "history events: " + after + " now, " + before + " before");
    }

    // ---- notifications -------------------------------------------------------------------------------------------

    private static List<String> runbook(ServiceRecoveryReport r) {
        return r.timeline().stream().filter(s -> !s.outcome().notification()).map(s -> s.step() + ":" + s.outcome())
                .toList();
    }

    private static List<String> notifyLines(ServiceRecoveryReport r, StepOutcome outcome) {
        return r.timeline().stream().filter(s -> s.step().equals("notify") && s.outcome() == outcome)
                .map(StepRecord::detail).toList();
    }

    @Test
    void routesTellStartedEscalatedAndRecoveredAndResolveWhatTheyOpened(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.unhealthy(), Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, FakeNotifications.withRoutes(Fixtures.plan()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertTrue(r.summary().startsWith("Recovered by recreate"), r.summary());
        assertEquals(List.of("load-plan:OK", "assess:OK", "restart:OK", "wait-healthy:FAILED", "recreate:OK",
                "wait-healthy:OK", "verify:OK", "watch:OK"), runbook(r));
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(java.util.Set.of(
                "wf-test/recovery-started recovery-started" + pager,
                "wf-test/step-escalated/1-recreate step-escalated" + pager,
                "wf-test/recovery-started recovery-started resolved" + pager,
                "wf-test/recovered recovered" + pager,
                "wf-test/recovered recovered -> " + FakeNotifications.ONCALL_SLACK.describe()),
                java.util.Set.copyOf(notifications.notices()));
        // In the order they happened: started, escalated, then the resolution before the final event.
        List<io.romadr.notify.Notice> sent = notifications.deliveries().stream().map(d -> d.notice()).toList();
        io.romadr.notify.Notice started = sent.stream().filter(n -> n.event() == NotifyEvent.RECOVERY_STARTED
                && !n.resolve()).findFirst().orElseThrow();
        io.romadr.notify.Notice escalated = sent.stream().filter(n -> n.event() == NotifyEvent.STEP_ESCALATED)
                .findFirst().orElseThrow();
        io.romadr.notify.Notice recovered = sent.stream().filter(n -> n.event() == NotifyEvent.RECOVERED)
                .findFirst().orElseThrow();
        assertTrue(started.at() <= escalated.at() && escalated.at() <= recovered.at());
        assertTrue(started.title().contains("service-failure recovery of plan roma started (junit)"),
                started.title());
        assertEquals("recovery", started.kind());
        assertEquals("service-failure", started.scenario());
        assertEquals(15 * 60_000L, started.rtoMillis());
        assertEquals("recreate", escalated.step());
        assertTrue(escalated.detail().startsWith("restart did not make the service healthy"), escalated.detail());
        assertEquals(r.summary(), recovered.detail());
        // Every delivery is a line of the report's timeline; none is a step of the run.
        List<String> lines = notifyLines(r, StepOutcome.NOTIFIED);
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.contains("sre-oncall paged via pagerduty:sre at 00:00 (recovery-started): 202 accepted"),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("sre-oncall messaged via slack:sre-incidents")),
                lines.toString());
        assertEquals("watch", r.currentStep());
    }

    /**
     * A drill's recovery tells its audience the drill started and finished, and pages nobody for its escalations:
     * routes that send every event to the on-call get drill-started and drill-finished only.
     */
    @Test
    void aDrillTellsDrillStartedAndFinishedAndPagesNobodyForItsSteps(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.unhealthy(), Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, FakeNotifications.withRoutes(Fixtures.plan()), "drill");

        assertEquals(Outcome.RECOVERED, r.outcome());
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(List.of("wf-test/drill-started drill-started" + pager,
                "wf-test/drill-finished drill-finished" + pager), notifications.notices());
        io.romadr.notify.Notice finished = notifications.deliveries().get(notifications.deliveries().size() - 1)
                .notice();
        assertTrue(finished.title().contains("drill") && finished.title().contains("recovered"), finished.title());
        assertEquals(r.summary(), finished.detail());
    }

    @Test
    void aChannelThatIsDownChangesNothingButLinesInTheReport(TestWorkflowEnvironment testEnv, Worker worker) {
        notifications = new FakeNotifications(FakeNotifications.Mode.FAIL);
        restartHeals();

        ServiceRecoveryReport r = run(testEnv, worker, FakeNotifications.withRoutes(Fixtures.plan()));

        assertRecoveredByRestartRegardless(r);
        List<String> failed = notifyLines(r, StepOutcome.UNDELIVERED);
        assertTrue(failed.contains("could not notify sre-oncall via pagerduty:sre (recovery-started): connection "
                + "refused"), failed.toString());
        assertTrue(notifyLines(r, StepOutcome.NOTIFIED).isEmpty());
        // Bounded retries: three attempts per notice, then it is given up.
        assertEquals(3, notifications.deliveries().stream()
                .filter(d -> d.notice().event() == NotifyEvent.RECOVERY_STARTED && !d.notice().resolve()).count());
    }

    @Test
    void aChannelThatHangsChangesNothingAndTheRunWaitsForItOnlyABoundedTime(TestWorkflowEnvironment testEnv,
            Worker worker) {
        notifications = new FakeNotifications(FakeNotifications.Mode.HANG);
        restartHeals();
        try {
            ServiceRecoveryReport r = run(testEnv, worker, FakeNotifications.withRoutes(Fixtures.plan()));

            assertRecoveredByRestartRegardless(r);
            List<String> undelivered = notifyLines(r, StepOutcome.UNDELIVERED);
            assertTrue(undelivered.stream().anyMatch(l -> l.startsWith("still notifying sre-oncall via "
                    + "pagerduty:sre (recovered) when the run ended")), undelivered.toString());
            assertTrue(notifyLines(r, StepOutcome.NOTIFIED).isEmpty());
        } finally {
            notifications.release();
        }
    }

    /** What a recovery by restart reports whatever its notifications did. */
    private void assertRecoveredByRestartRegardless(ServiceRecoveryReport r) {
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertFalse(failedExecution);
        assertTrue(r.summary().startsWith("Recovered by restart in "), r.summary());
        assertTrue(r.summary().endsWith("(RTO met)."), r.summary());
        assertEquals(List.of("load-plan:OK", "assess:OK", "restart:OK", "wait-healthy:OK", "verify:OK", "watch:OK"),
                runbook(r));
        // Restored when verify passed, finished when the watch ended: the notifications added no time.
        assertEquals(step(r, "verify").endedAt() - r.startedAt(), r.rtoActualMillis());
        assertEquals(step(r, "watch").endedAt(), r.finishedAt());
        assertEquals("watch", r.currentStep());
    }

    @Test
    void rtoFiftyAndEightyPercentAreToldWhileNotRestoredAndResolvedAtTheEnd(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated"));
        // Slow waits (time runs for real while an activity runs), each shorter than the step's heartbeat timeout:
        // the budget runs out during the second.
        AtomicInteger waits = new AtomicInteger();
        when(svc.waitHealthy(any())).thenAnswer(inv -> {
            Thread.sleep(3_500);
            return waits.incrementAndGet() == 1 ? Fixtures.unhealthy() : Fixtures.healthy();
        });
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker,
                FakeNotifications.withRoutes(Fixtures.plan(Duration.ofSeconds(5), Duration.ZERO, List.of())));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertTrue(r.rtoBreached());
        List<io.romadr.notify.Notice> sent = notifications.deliveries().stream().map(d -> d.notice()).toList();
        io.romadr.notify.Notice fifty = sent.stream().filter(n -> n.event() == NotifyEvent.RTO_50 && !n.resolve())
                .findFirst().orElseThrow();
        io.romadr.notify.Notice eighty = sent.stream().filter(n -> n.event() == NotifyEvent.RTO_80 && !n.resolve())
                .findFirst().orElseThrow();
        // Timers at 50% and 80% of the budget, while the slow step still runs.
        assertTrue(fifty.elapsedMillis() >= 2_500 && fifty.elapsedMillis() < eighty.elapsedMillis(),
                "50% at " + fifty.elapsedMillis() + ", 80% at " + eighty.elapsedMillis());
        StepRecord lastWait = r.timeline().stream().filter(s -> s.step().equals("wait-healthy"))
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(eighty.elapsedMillis() >= 4_000 && eighty.at() < lastWait.endedAt(),
                "80% at " + eighty.elapsedMillis());
        assertTrue(eighty.title().contains("80% of the RTO used"), eighty.title());
        String lead = " -> " + FakeNotifications.LEAD_EMAIL.describe();
        List<String> notices = notifications.notices();
        assertTrue(notices.contains("wf-test/rto-80 rto-80" + lead), notices.toString());
        assertTrue(notices.contains("wf-test/rto-breached rto-breached -> "
                + FakeNotifications.ONCALL_PAGER.describe()), notices.toString());
        // The end resolves all of them, each to whoever heard it.
        for (String opened : List.of("recovery-started", "rto-50", "rto-80", "rto-breached")) {
            assertTrue(notices.contains("wf-test/" + opened + " " + opened + " resolved -> "
                    + FakeNotifications.ONCALL_PAGER.describe()), opened + " in " + notices);
        }
        assertTrue(notices.contains("wf-test/rto-80 rto-80 resolved" + lead), notices.toString());
    }

    @Test
    void noThresholdIsToldWhenRestoredInTime(TestWorkflowEnvironment testEnv, Worker worker) {
        restartHeals();

        ServiceRecoveryReport r = run(testEnv, worker, FakeNotifications.withRoutes(Fixtures.plan()));

        assertEquals(Outcome.RECOVERED, r.outcome());
        assertTrue(notifications.deliveries().stream().noneMatch(d -> d.notice().event() == NotifyEvent.RTO_50
                || d.notice().event() == NotifyEvent.RTO_80 || d.notice().event() == NotifyEvent.RTO_BREACHED));
    }

    @Test
    void aFailedRecoveryResolvesWhatItOpenedThenTellsTheFailureToWhoeverTheRoutesEscalateTo(
            TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted"));
        when(svc.recreate(any())).thenReturn(Fixtures.done("recreated"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.unhealthy());

        ServiceRecoveryReport r = run(testEnv, worker, FakeNotifications.withRoutes(Fixtures.plan()));

        assertTrue(failedExecution);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.summary().startsWith("Not recovered"), r.summary());
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(java.util.Set.of(
                "wf-test/recovery-started recovery-started" + pager,
                "wf-test/step-escalated/1-recreate step-escalated" + pager,
                "wf-test/recovery-started recovery-started resolved" + pager,
                "wf-test/failed failed" + pager,
                "wf-test/failed failed -> " + FakeNotifications.LEAD_EMAIL.describe()),
                java.util.Set.copyOf(notifications.notices()));
        io.romadr.notify.Notice failed = notifications.deliveries().stream().map(d -> d.notice())
                .filter(n -> n.event() == NotifyEvent.FAILED).findFirst().orElseThrow();
        assertEquals(r.summary(), failed.detail());
        assertFalse(failed.resolve());
        // The failure stays open: a person closes it.
        assertTrue(notifications.deliveries().stream().noneMatch(d -> d.notice().event() == NotifyEvent.FAILED
                && d.notice().resolve()));
        assertEquals("rebuild", r.currentStep());
    }
}
