package io.romadr.scenario.servicefailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.PlanActivities;
import io.romadr.report.Outcome;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 1 with payload encryption: a recovery whose every payload is encrypted records its history
 * ({@code target/histories/encrypted-service-recovery-*.json}; one is pinned in {@code src/test/resources/histories})
 * and the pinned one replays with a worker whose client has the codec, and not without it.
 */
class EncryptedServiceRecoveryTest {
    /**
     * A test fixture, published in the repository: it encrypted the pinned history and protects nothing. Never
     * use it for a real deployment (make a key with {@code roma-dr keys generate}).
     */
    static final String FIXTURE_KEY = "test-fixture-2026-12 O6bgyi2offf5Nke4jvaEop7NGhk9CrgLCgmyY4WPfHk=";
    static final PayloadKeys KEYS = PayloadKeys.parse(FIXTURE_KEY, "test fixture");
    static final String PINNED = "/histories/encrypted-service-recovery-restartIsEnough.json";

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class)
            .setWorkflowClientOptions(RomaClientOptions.of("default", KEYS))
            .setDoNotStart(true)
            .build();

    @Test
    void restartIsEnough(TestWorkflowEnvironment testEnv, Worker worker) {
        PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
        ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());
        when(plans.loadPlan("roma")).thenReturn(Fixtures.plan());
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        when(svc.watch(any())).thenAnswer(inv -> Fixtures.watched(inv.getArgument(0)));
        ServiceRecoveryWorkflowTest.registerSearchAttributes(testEnv);
        worker.registerActivitiesImplementations(plans, svc, new FakeNotifications());
        testEnv.start();
        ServiceRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-test").build());

        ServiceRecoveryReport report = wf.recover(new ServiceRecoveryRequest("roma", "unit test", "junit"));

        assertEquals(Outcome.RECOVERED, report.outcome());
        WorkflowExecutionHistory history = testEnv.getWorkflowClient().fetchHistory("wf-test");
        HistoryFiles.write(history, "encrypted-service-recovery-restartIsEnough");
        HistoryEvent started = history.getEvents().get(0);
        assertEquals(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, started.getEventType());
        assertTrue(AesGcmPayloadCodec.isEncrypted(started.getWorkflowExecutionStartedEventAttributes().getInput()
                .getPayloads(0)));
    }

    @Test
    void thePinnedHistoryReplaysWithTheCodecAndNotWithout() throws Exception {
        WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(
                Path.of(getClass().getResource(PINNED).toURI())));
        assertTrue(AesGcmPayloadCodec.isEncrypted(history.getEvents().get(0)
                .getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0)), "the pinned history is"
                        + " encrypted");
        replay(history, RomaClientOptions.of("default", KEYS));
        assertThrows(Exception.class, () -> replay(history, RomaClientOptions.of("default", null)),
                "without the codec the input cannot be read");
    }

    /** Replays with a worker whose client has these options. */
    private static void replay(WorkflowExecutionHistory history, WorkflowClientOptions options) throws Exception {
        try (TestWorkflowEnvironment replayEnv = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions
                .newBuilder().setWorkflowClientOptions(options).build())) {
            Worker worker = replayEnv.newWorker("replay");
            worker.registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class);
            WorkflowReplayer.replayWorkflowExecution(history, worker);
        }
    }
}
