package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.CommandStep;
import io.romadr.scenario.security.CredentialRotationActivities;
import io.romadr.scenario.security.RotationKind;
import io.romadr.scenario.security.RotationRequest;
import io.romadr.scenario.security.RotationResult;
import io.romadr.scenario.security.RotationTarget;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worker serves the credential rotation activities (the security-incident scenario calls them on its queue):
 * a workflow of its own calls {@code rotate} on a {@link RomaWorker}'s queue and gets the production implementation,
 * which runs a plan command with the rotation id.
 */
class RotationRegistrationTest {
    static final String ROMA_QUEUE = "roma-dr-rotation-registration";
    static final String CALLER_QUEUE = "rotation-registration-caller";

    @WorkflowInterface
    public interface CallRotation {
        @WorkflowMethod
        RotationResult call(RotationRequest request);
    }

    public static class CallRotationImpl implements CallRotation {
        @Override
        public RotationResult call(RotationRequest request) {
            return Workflow.newActivityStub(CredentialRotationActivities.class, ActivityOptions.newBuilder()
                    .setTaskQueue(ROMA_QUEUE).setScheduleToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build())
                    .rotate(request);
        }
    }

    @Test
    void romaWorkerRunsTheRotationActivities() {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            env.newWorker(CALLER_QUEUE).registerWorkflowImplementationTypes(CallRotationImpl.class);
            try (RomaWorker roma = new RomaWorker(env.getWorkflowClient(), ROMA_QUEUE,
                    new RomaWorker.Activities(null, null))) {
                roma.start();
                env.start();
                RotationTarget target = new RotationTarget(RotationKind.COMMAND, "registry-credentials", "");
                // The command succeeds only if the production activity set the rotation id in its environment.
                CommandStep command = new CommandStep("registry-credentials", List.of("sh", "-c",
                        "test \"$ROMA_DR_ROTATION_ID\" = incident-7"), null, null, null);
                RotationResult result = env.getWorkflowClient().newWorkflowStub(CallRotation.class,
                        WorkflowOptions.newBuilder().setTaskQueue(CALLER_QUEUE).build())
                        .call(new RotationRequest("roma", "incident-7", target, null, List.of(command)));
                assertEquals(target, result.target());
                assertFalse(result.alreadyRotated());
                assertTrue(result.note().contains("ROMA_DR_ROTATION_ID"), result.note());
            }
        }
    }
}
