package io.romadr.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.temporal.DeadWorker;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The step runner of Scenarios 2-4 ({@link Steps#run}) when workers die inside a step, through a one-step workflow
 * whose stub has a 1 s start-to-close: a lost worker is called again (and counted), the budget and
 * {@link LostWorkerRetry#MAX_CALLS} bound it, and a real failure is not called again.
 */
// Concurrent (with other classes, and its cases with each other): the cases wait out real step timeouts, each on a
// test server of its own.
@Execution(ExecutionMode.CONCURRENT)
class StepsLostWorkerTest {
    static final Duration PAST_TIMEOUT = Duration.ofMillis(1_500);

    public record Request(String plan, long budgetMillis) {
    }

    @WorkflowInterface
    public interface OneStep {
        @WorkflowMethod
        List<StepRecord> run(Request request);
    }

    public static class OneStepImpl implements OneStep {
        private final ServiceActivities checks = Workflow.newActivityStub(ServiceActivities.class, ActivityOptions
                .newBuilder().setStartToCloseTimeout(Duration.ofSeconds(1)).setRetryOptions(Retries.of(3)).build());
        private final Steps steps = new Steps();

        @Override
        public List<StepRecord> run(Request request) {
            if (request.budgetMillis() > 0) {
                steps.budget(Workflow.currentTimeMillis() + request.budgetMillis());
            }
            try {
                steps.run("check", 3, () -> checks.check(HealthRequest.once(request.plan(), List.of())),
                        HealthResult::summary, HealthResult::attempt);
            } catch (Steps.Failed e) {
                // the timeline says why
            }
            return steps.snapshot();
        }
    }

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(OneStepImpl.class)
            .setDoNotStart(true)
            .build();

    private final ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());

    private StepRecord run(TestWorkflowEnvironment testEnv, Worker worker, long budgetMillis) {
        worker.registerActivitiesImplementations(svc);
        testEnv.start();
        OneStep wf = testEnv.getWorkflowClient().newWorkflowStub(OneStep.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("one-step").build());
        List<StepRecord> timeline = wf.run(new Request("roma", budgetMillis));
        assertEquals(1, timeline.size(), timeline.toString());
        return timeline.get(0);
    }

    private static int scheduled(TestWorkflowEnvironment testEnv) {
        return DeadWorker.scheduled(testEnv.getWorkflowClient().fetchHistory("one-step"), "Check");
    }

    @Test
    void fourLostWorkersAreCalledAgainAndCounted(TestWorkflowEnvironment testEnv, Worker worker) {
        DeadWorker load = DeadWorker.dies(4, PAST_TIMEOUT);
        when(svc.check(any())).thenAnswer(load.then(StepsLostWorkerTest::healthy));

        StepRecord step = run(testEnv, worker, 0);

        assertEquals(StepOutcome.OK, step.outcome(), step.toString());
        assertEquals(5, load.calls());
        assertEquals(5, step.attempts(), step.toString()); // 3 lost, then 1 lost and the one that answered
        assertEquals(2, scheduled(testEnv));
    }

    @Test
    void workersThatKeepDyingStopAtTheCallCap(TestWorkflowEnvironment testEnv, Worker worker) {
        DeadWorker load = DeadWorker.dies(Integer.MAX_VALUE, PAST_TIMEOUT);
        when(svc.check(any())).thenAnswer(load.then(StepsLostWorkerTest::healthy));

        StepRecord step = run(testEnv, worker, 0);

        assertEquals(StepOutcome.FAILED, step.outcome());
        assertTrue(step.detail().startsWith("worker lost in every attempt"), step.detail());
        assertEquals(LostWorkerRetry.MAX_CALLS, scheduled(testEnv));
        assertEquals(LostWorkerRetry.MAX_CALLS * 3, step.attempts());
        assertEquals(load.calls(), step.attempts());
    }

    @Test
    void workersThatKeepDyingStopAtTheBudget(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.check(any())).thenAnswer(DeadWorker.dies(Integer.MAX_VALUE, PAST_TIMEOUT)
                .then(StepsLostWorkerTest::healthy));

        StepRecord step = run(testEnv, worker, 1_000);

        assertEquals(StepOutcome.FAILED, step.outcome());
        assertEquals(1, scheduled(testEnv));
        assertEquals(3, step.attempts());
    }

    @Test
    void aRealFailureIsNotCalledAgain(TestWorkflowEnvironment testEnv, Worker worker) {
        when(svc.check(any())).thenThrow(ApplicationFailure.newFailure("disk error", "IOException"));

        StepRecord step = run(testEnv, worker, 0);

        assertEquals(StepOutcome.FAILED, step.outcome());
        assertEquals("disk error", step.detail());
        assertEquals(1, scheduled(testEnv));
        assertEquals(3, step.attempts());
    }

    static HealthResult healthy(int attempt) {
        return new HealthResult(true, List.of(), 1, 0, attempt);
    }
}
