package io.romadr.scenario.servicefailure;

import io.romadr.report.RunFailure;

import io.temporal.activity.Activity;
import io.temporal.client.WorkflowFailedException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.temporal.DeadWorker;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;

/**
 * Scenario 1 when workers die inside a step: the fakes hang past the step's timeout (as a killed worker's attempt
 * does) a number of times, then answer. A dead worker must never count as a failed action: no escalation, no wider
 * set of containers, and attempts in the report as the history has them. Time runs for real while an activity
 * runs, so each death costs the step's real timeout (5 s heartbeat, 10 s for load-plan). The steps that run in the
 * workflow task (load-plan, assess, the checks) cannot hang past a heartbeat; their kill -9 cases are the worker
 * module's {@code WorkerCrashTest}.
 */
// Concurrent (with other classes, and its cases with each other): the cases wait out real step timeouts, each on a
// test server of its own.
@Execution(ExecutionMode.CONCURRENT)
class ServiceRecoveryLostWorkerTest {
    /** Longer than the 5 s heartbeat timeout of the Scenario 1 steps. */
    static final Duration PAST_HEARTBEAT = Duration.ofSeconds(6);

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private String testName;
    private WorkflowExecutionHistory history;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        // The watch activity sees the service healthy for its window unless a test says otherwise.
        when(svc.watch(any())).thenAnswer(inv -> Fixtures.watched(inv.getArgument(0)));
    }

    private ServiceRecoveryReport run(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        when(plans.loadPlan("roma")).thenReturn(plan);
        return start(testEnv, worker);
    }

    private ServiceRecoveryReport start(TestWorkflowEnvironment testEnv, Worker worker) {
        ServiceRecoveryWorkflowTest.registerSearchAttributes(testEnv);
        worker.registerActivitiesImplementations(plans, svc);
        testEnv.start();
        ServiceRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-lost").build());
        ServiceRecoveryReport report;
        try {
            report = wf.recover(new ServiceRecoveryRequest("roma", "unit test", "junit"));
        } catch (WorkflowFailedException e) { // a recovery that did not recover fails with its report
            report = RunFailure.reportOf(e, ServiceRecoveryReport.class);
            assertEquals(Outcome.FAILED, report.outcome());
        }
        history = testEnv.getWorkflowClient().fetchHistory("wf-lost");
        HistoryFiles.write(history, testName);
        return report;
    }

    private static StepRecord step(ServiceRecoveryReport r, String name) {
        return r.timeline().stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow(
                () -> new AssertionError("no step " + name + " in " + steps(r)));
    }

    private static List<String> steps(ServiceRecoveryReport r) {
        return r.timeline().stream().map(s -> s.step() + ":" + s.outcome() + "x" + s.attempts()).toList();
    }

    @Test
    void restartThatLosesFourWorkersIsRestartedOnceAndNeverEscalates(TestWorkflowEnvironment testEnv,
            Worker worker) {
        DeadWorker restart = DeadWorker.dies(4, PAST_HEARTBEAT);
        when(svc.assess(any())).thenReturn(Fixtures.romaExitedApiRunning(1));
        when(svc.restart(any())).thenAnswer(restart.then(attempt -> new ActionResult(true, "restarted roma",
                attempt)));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.twoServices(Duration.ofMinutes(15)));

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + " " + steps(r));
        assertTrue(r.summary().startsWith("Recovered by restart"), r.summary());
        assertEquals(List.of("load-plan:OKx1", "assess:OKx1", "restart:OKx5", "wait-healthy:OKx1", "verify:OKx1"),
                steps(r));
        verify(svc, never()).recreate(any());
        // Two calls of the step (3 attempts lost, then 1 lost and 1 done), each for roma only, with one key.
        assertEquals(5, restart.calls());
        assertEquals(restart.calls(), step(r, "restart").attempts());
        ArgumentCaptor<RestartRequest> requests = ArgumentCaptor.forClass(RestartRequest.class);
        verify(svc, Mockito.times(5)).restart(requests.capture());
        assertTrue(requests.getAllValues().stream().allMatch(q -> q.services().equals(List.of("roma"))),
                requests.getAllValues().toString());
        assertEquals(1, requests.getAllValues().stream().map(RestartRequest::since).distinct().count());
        assertTrue(requests.getValue().since() > 0);
        assertEquals(2, DeadWorker.scheduled(history, "Restart"));
    }

    /**
     * Assess runs in the workflow task (a local activity, {@code observing-steps-in-task}): it has no heartbeat, so
     * a worker that dies in it fails the workflow task and the next worker runs it again from the start (the
     * worker module's kill -9 tests). Left to the workflow: an attempt that fails is run again by the SDK, the
     * attempts are counted, and the assessment of the attempt that answered decides, acting on the broken container
     * only. (The version before it, where assess was an activity with a heartbeat, is pinned by the v2 histories.)
     */
    @Test
    void anAssessWhoseFirstAttemptFailsIsRunAgainInTheTaskAndWidensNothing(TestWorkflowEnvironment testEnv,
            Worker worker) {
        AtomicInteger calls = new AtomicInteger();
        when(svc.assess(any())).thenAnswer(inv -> {
            if (calls.incrementAndGet() == 1) {
                throw ApplicationFailure.newFailure("engine did not answer", "EngineTimeout");
            }
            return Fixtures.romaExitedApiRunning(Activity.getExecutionContext().getInfo().getAttempt());
        });
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.twoServices(Duration.ofMinutes(15)));

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + " " + steps(r));
        assertEquals(2, step(r, "assess").attempts());
        assertEquals(2, calls.get());
        assertEquals(0, DeadWorker.scheduled(history, "Assess"));
        assertEquals(1, DeadWorker.recorded(history, "Assess"));
        verify(svc).restart(Mockito.argThat(q -> q.services().equals(List.of("roma"))));
        verify(svc, never()).recreate(any());
    }

    @Test
    void assessThatFailsForGoodActsOnNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenThrow(ApplicationFailure.newFailure("engine answered 500", "DockerException"));

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.twoServices(Duration.ofMinutes(15)));

        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(ServiceRecoveryWorkflowImpl.ACTION_ATTEMPTS, step(r, "assess").attempts());
        assertEquals(StepOutcome.SKIPPED, step(r, "restart").outcome());
        assertTrue(r.summary().contains("no container was acted on"), r.summary());
        verify(svc, never()).restart(any());
        verify(svc, never()).recreate(any());
    }

    @Test
    void aCheckWithoutResultRestartsNoRunningContainer(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.running());
        when(svc.check(any())).thenThrow(ApplicationFailure.newFailure("checks crashed", "IllegalStateException"));

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.twoServices(Duration.ofMinutes(15)));

        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(StepOutcome.FAILED, step(r, "check").outcome());
        assertEquals(StepOutcome.SKIPPED, step(r, "restart").outcome());
        assertTrue(r.summary().contains("no container was acted on"), r.summary());
        verify(svc, never()).restart(any());
        verify(svc, never()).recreate(any());
    }

    @Test
    void waitHealthyThatLosesItsWorkersIsWaitedOnAgainNotEscalated(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.romaExitedApiRunning(1));
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenAnswer(DeadWorker.dies(3, PAST_HEARTBEAT)
                .then(attempt -> new HealthResult(true, Fixtures.healthy().checks(), 1, 10, attempt)));
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.twoServices(Duration.ofMinutes(15)));

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + " " + steps(r));
        assertTrue(r.summary().startsWith("Recovered by restart"), r.summary());
        assertEquals(4, step(r, "wait-healthy").attempts());
        verify(svc, never()).recreate(any());
    }

    @Test
    void aWatchProbeWhoseWorkersDiedIsNotARelapse(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        // verify answers; the watch loses three workers (its three attempts, one call), then watches its window.
        DeadWorker probe = DeadWorker.dies(3, PAST_HEARTBEAT);
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        Mockito.doAnswer(probe.then(attempt -> Fixtures.healthy())).when(svc).watch(any());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan());

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + " " + steps(r));
        assertEquals(0, r.relapses());
        assertEquals(StepOutcome.OK, step(r, "watch").outcome());
        verify(svc, Mockito.times(1)).restart(any());
        assertTrue(probe.calls() >= 4, "probe calls " + probe.calls());
    }

    /**
     * A watch whose workers keep dying is called again after its window has ended, more than the activity's minute of
     * slack later: it must be scheduled with what is left of the window, nothing, not a negative timeout (which the
     * server refuses, leaving the run stuck for good; seen with 500 recoveries on one worker).
     */
    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aWatchCalledAgainLongAfterItsWindowStillEnds(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        DeadWorker probe = DeadWorker.dies(100, PAST_HEARTBEAT); // every call loses all its attempts
        Mockito.doAnswer(probe.then(attempt -> Fixtures.healthy())).when(svc).watch(any());

        ServiceRecoveryReport r = run(testEnv, worker, Fixtures.plan(Duration.ofMinutes(15), Duration.ofSeconds(1),
                List.of()));

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + " " + steps(r));
        assertTrue(probe.calls() >= 12, "the watch was called again after its window: " + probe.calls());
    }

    @Test
    void loadPlanAttemptsAreTheHistorysAttempts(TestWorkflowEnvironment testEnv, Worker worker) {
        RecoveryPlan plan = Fixtures.twoServices(Duration.ofMinutes(15));
        // Past the 10 s start-to-close of load-plan, twice.
        DeadWorker load = DeadWorker.dies(2, Duration.ofSeconds(11));
        when(plans.loadPlan("roma")).thenAnswer(load.then(a -> plan));
        when(svc.assess(any())).thenReturn(Fixtures.romaExitedApiRunning(1));
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());

        ServiceRecoveryReport r = start(testEnv, worker);

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + " " + steps(r));
        assertEquals(3, step(r, "load-plan").attempts());
        assertEquals(load.calls(), step(r, "load-plan").attempts());
        // One local activity per call of the step (version observing-steps-in-task), none through the server.
        assertEquals(3, DeadWorker.recorded(history, "LoadPlan"));
        assertEquals(0, DeadWorker.scheduled(history, "LoadPlan"));
    }
}
