package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.runtime.Retries;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.temporal.DeadWorker;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
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
 * The backup workflows' step runner ({@link BackupWorkflowSupport#step}) when workers die inside a step: the real
 * load-plan step (10 s, one attempt per call) and a step on a 1 s stub are called again and counted truly.
 */
// Concurrent with other classes: the case waits out real step timeouts on a test server of its own.
@Execution(ExecutionMode.CONCURRENT)
class BackupStepLostWorkerTest {
    public record Request(String plan) {
    }

    @WorkflowInterface
    public interface TwoSteps {
        @WorkflowMethod
        List<StepRecord> run(Request request);
    }

    public static class TwoStepsImpl implements TwoSteps {
        private final PlanActivities quick = Workflow.newActivityStub(PlanActivities.class, ActivityOptions
                .newBuilder().setStartToCloseTimeout(Duration.ofSeconds(1))
                .setRetryOptions(Retries.of(1, Duration.ofSeconds(1))).build());

        @Override
        public List<StepRecord> run(Request request) {
            BackupWorkflowSupport run = new BackupWorkflowSupport("test", request.plan());
            run.loadPlan(request.plan());
            run.steps.run("again", () -> quick.loadPlan(request.plan()), RecoveryPlan::name);
            return run.steps.snapshot();
        }
    }

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(TwoStepsImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());

    @Test
    void lostWorkersAreCalledAgainAndCounted(TestWorkflowEnvironment testEnv, Worker worker) {
        BackupFixtures.registerSearchAttributes(testEnv);
        RecoveryPlan plan = new RecoveryPlan("roma", "test", null, null, null, null, null, null, null, null);
        // Two deaths past load-plan's 10 s, then three past the 1 s of the second step.
        DeadWorker load = DeadWorker.dies(2, Duration.ofSeconds(11));
        DeadWorker again = DeadWorker.dies(3, Duration.ofMillis(1_500));
        int[] calls = {0};
        when(plans.loadPlan("roma")).thenAnswer(inv -> ++calls[0] <= 3
                ? load.then(a -> plan).answer(inv)
                : again.then(a -> plan).answer(inv));
        worker.registerActivitiesImplementations(plans);
        testEnv.start();
        TwoSteps wf = testEnv.getWorkflowClient().newWorkflowStub(TwoSteps.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("two-steps").build());

        List<StepRecord> steps = wf.run(new Request("roma"));

        assertEquals(2, steps.size(), steps.toString());
        StepRecord loaded = steps.get(0);
        assertEquals(StepOutcome.OK, loaded.outcome(), loaded.toString());
        assertEquals(3, loaded.attempts(), loaded.toString());
        assertTrue(loaded.detail().contains("worker lost"), loaded.detail());
        StepRecord second = steps.get(1);
        assertEquals(StepOutcome.OK, second.outcome(), second.toString());
        assertEquals(4, second.attempts(), second.toString());
        assertEquals(7, DeadWorker.scheduled(testEnv.getWorkflowClient().fetchHistory("two-steps"), "LoadPlan"));
    }
}
