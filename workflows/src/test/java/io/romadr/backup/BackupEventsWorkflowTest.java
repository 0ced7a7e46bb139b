package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * The coalescer's logic on the SDK's test server: the git mirror child is a fake whose one activity ({@link Gate})
 * the test holds, fails or lets through, and the lag activity is a mock.
 */
class BackupEventsWorkflowTest {
    static final String PLAN = "roma";
    static final String ID = BackupEventsWorkflow.workflowId("git", PLAN);

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(BackupEventsWorkflowImpl.class, FakeGitMirror.class)
            .setDoNotStart(true)
            .build();

    /** The fake mirror's one step: what the test does with each run. */
    @ActivityInterface
    public interface Gate {
        void mirrored(BackupRequest request);
    }

    /** A git mirror that is exactly its gate: it succeeds or fails as the gate does. */
    public static class FakeGitMirror implements GitMirrorWorkflow {
        private final Gate gate = Workflow.newActivityStub(Gate.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofHours(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

        @Override
        public GitMirrorReport mirror(BackupRequest request) {
            gate.mirrored(request);
            return null;
        }

        @Override
        public GitMirrorReport progress() {
            return null;
        }
    }

    /** Records each run (its request and test-server time) and does what the test says before letting it end. */
    static final class TestGate implements Gate {
        final List<BackupRequest> runs = Collections.synchronizedList(new ArrayList<>());
        final List<Long> times = Collections.synchronizedList(new ArrayList<>());
        final Semaphore passes = new Semaphore(Integer.MAX_VALUE);
        volatile int failures;
        volatile IntConsumer duringRun = n -> {
        };

        @Override
        public void mirrored(BackupRequest request) {
            runs.add(request);
            times.add(Activity.getExecutionContext().getInfo().getScheduledTimestamp());
            duringRun.accept(runs.size());
            try {
                passes.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (runs.size() <= failures) {
                throw ApplicationFailure.newNonRetryableFailure("backup remote backup-1 unreachable", "Unreachable");
            }
        }
    }

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupLagActivities lags = mock(BackupLagActivities.class, withSettings().withoutAnnotations());
    private final TestGate gate = new TestGate();
    private WorkflowClient client;
    private String taskQueue;
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private void start(TestWorkflowEnvironment testEnv, Worker worker) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan(PLAN)).thenReturn(BackupFixtures.plan(true));
        worker.registerActivitiesImplementations(plans, lags, gate);
        testEnv.start();
        client = testEnv.getWorkflowClient();
        taskQueue = worker.getTaskQueue();
    }

    /** As the worker host's webhooks do it: signal-with-start. */
    private void signal(BackupEvent event) {
        client.newUntypedWorkflowStub(BackupEventsWorkflow.TYPE, WorkflowOptions.newBuilder().setWorkflowId(ID)
                .setTaskQueue(taskQueue).build())
                .signalWithStart("event", new Object[]{event},
                        new Object[]{new BackupEventsRequest(PLAN, "git", List.of(), 0)});
    }

    private static BackupEvent push(int n, long occurredAt, long receivedAt) {
        return new BackupEvent("github", "delivery-" + n, occurredAt, receivedAt, List.of(),
                "refs/heads/main c" + n);
    }

    private BackupEventsReport result() {
        try {
            return client.newUntypedWorkflowStub(ID).getResult(60, TimeUnit.SECONDS, BackupEventsReport.class);
        } catch (TimeoutException e) {
            throw new AssertionError("the events workflow did not end within 60 s: " + progress(), e);
        }
    }

    private BackupEventsReport progress() {
        return client.newWorkflowStub(BackupEventsWorkflow.class, ID).progress();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @SuppressWarnings("unchecked")
    private List<RecordLagRequest> recordedLags(int calls) {
        ArgumentCaptor<RecordLagRequest> captor = ArgumentCaptor.forClass(RecordLagRequest.class);
        verify(lags, org.mockito.Mockito.times(calls)).recordLag(captor.capture());
        return captor.getAllValues();
    }

    @Test
    void aBurstDuringARunIsOneFollowUpRunCoveringAllOfIt(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        start(testEnv, worker);
        gate.passes.drainPermits();
        long t0 = testEnv.currentTimeMillis();
        // A forge clock 5 s behind this host's: the lag counts from the push, not from its receipt.
        signal(push(1, t0 - 5000, t0));
        eventually("the first event's run starts at once", () -> gate.runs.size() == 1);
        for (int n = 2; n <= 11; n++) {
            signal(push(n, 0, testEnv.currentTimeMillis()));
        }
        signal(push(5, 0, testEnv.currentTimeMillis())); // the forge's retry of a delivery
        eventually("12 events received", () -> progress().events() == 12);
        BackupEventsReport during = progress();
        assertEquals(1, during.runs(), during.toString());
        assertEquals(10, during.pending(), during.toString());
        assertEquals(1, during.duplicates(), during.toString());
        gate.passes.release(Integer.MAX_VALUE / 2);

        BackupEventsReport r = result();
        BackupFixtures.writeHistory(client, ID, "events-git-" + testName);
        assertEquals(2, r.runs(), r.toString());
        assertEquals(2, gate.runs.size(), "one run plus ONE follow-up, never a queue");
        assertEquals(12, r.events());
        assertEquals(1, r.duplicates());
        assertEquals(0, r.pending());
        assertEquals(0, r.failedRuns());
        assertTrue(gate.runs.get(0).requestedBy().startsWith("events (1: github refs/heads/main c1"),
                gate.runs.get(0).requestedBy());
        assertTrue(gate.runs.get(1).requestedBy().startsWith("events (10: github refs/heads/main c2"),
                gate.runs.get(1).requestedBy());
        assertEquals(PLAN, gate.runs.get(1).plan());

        List<RecordLagRequest> recorded = recordedLags(2);
        assertEquals(List.of("delivery-1"), recorded.get(0).samples().stream().map(LagSample::eventId).toList());
        assertEquals(List.of("delivery-2", "delivery-3", "delivery-4", "delivery-5", "delivery-6", "delivery-7",
                "delivery-8", "delivery-9", "delivery-10", "delivery-11"),
                recorded.get(1).samples().stream().map(LagSample::eventId).toList());
        LagSample first = recorded.get(0).samples().get(0);
        assertEquals(t0 - 5000, first.eventAt(), "the forge's push time when it is earlier than the receipt");
        assertTrue(first.committedAt() >= t0, first.toString());
        assertEquals(r.children().get(0), first.workflowId());
        assertEquals(r.children().get(1), recorded.get(1).samples().get(0).workflowId());
        assertEquals("git", recorded.get(0).kind());
        assertEquals(BackupFixtures.STORE, recorded.get(0).store());
        assertEquals(11, r.recentLags().size());
    }

    @Test
    void aFailedRunIsRetriedAfterABackoffAndItsEventsCountedWhenItSucceeds(TestWorkflowEnvironment testEnv,
            Worker worker) {
        gate.failures = 2;
        start(testEnv, worker);
        signal(push(1, 0, testEnv.currentTimeMillis()));
        BackupEventsReport r = result();
        assertEquals(3, r.runs(), r.toString());
        assertEquals(2, r.failedRuns());
        assertEquals(3, gate.runs.size());
        // 30 s, then 60 s between the tries (test-server time, skipped while the test waits for the result).
        assertTrue(gate.times.get(1) - gate.times.get(0) >= 30_000, gate.times.toString());
        assertTrue(gate.times.get(2) - gate.times.get(1) >= 60_000, gate.times.toString());
        List<RecordLagRequest> recorded = recordedLags(1);
        assertEquals(r.children().get(2), recorded.get(0).samples().get(0).workflowId());
        assertEquals("delivery-1", recorded.get(0).samples().get(0).eventId());
    }

    @Test
    void runsThatKeepFailingGiveUpAfterFiveAndRecordNoLag(TestWorkflowEnvironment testEnv, Worker worker) {
        gate.failures = Integer.MAX_VALUE;
        start(testEnv, worker);
        signal(push(1, 0, testEnv.currentTimeMillis()));
        BackupEventsReport r = result();
        assertEquals(BackupEventsWorkflowImpl.MAX_FAILED_RUNS, r.runs(), r.toString());
        assertEquals(BackupEventsWorkflowImpl.MAX_FAILED_RUNS, r.failedRuns());
        assertEquals(0, r.pending());
        assertTrue(r.summary().startsWith("gave up on 1 event(s) after 5 failed runs"), r.summary());
        assertTrue(r.summary().contains("backup remote backup-1 unreachable"), r.summary());
        verify(lags, never()).recordLag(any());
    }

    @Test
    void anEventArrivingWhileTheLagIsRecordedStillGetsItsRun(TestWorkflowEnvironment testEnv, Worker worker) {
        org.mockito.Mockito.doAnswer(inv -> {
            RecordLagRequest request = inv.getArgument(0);
            if (request.samples().get(0).eventId().equals("delivery-1")) {
                client.newWorkflowStub(BackupEventsWorkflow.class, ID).event(push(2, 0, 0));
            }
            return null;
        }).when(lags).recordLag(any());
        start(testEnv, worker);
        signal(push(1, 0, testEnv.currentTimeMillis()));
        BackupEventsReport r = result();
        assertEquals(2, gate.runs.size(), "the last event is never dropped: " + r);
        assertEquals(2, r.runs(), r.toString());
        assertEquals(0, r.pending());
    }

    @Test
    void continueAsNewKeepsThePendingEvents(TestWorkflowEnvironment testEnv, Worker worker) {
        int last = BackupEventsWorkflowImpl.RUNS_PER_EXECUTION + 1;
        // Each run gets one more push while it runs, so every run has a follow-up until the last.
        gate.duringRun = n -> {
            if (n < last) {
                client.newWorkflowStub(BackupEventsWorkflow.class, ID).event(push(n + 1, 0, 0));
            }
        };
        start(testEnv, worker);
        signal(push(1, 0, testEnv.currentTimeMillis()));
        BackupEventsReport r = result();
        assertEquals(last, gate.runs.size());
        assertEquals(1, r.runs(), "the new execution made the last run: " + r);
        assertTrue(r.children().get(0).endsWith("-" + last), r.children().toString());
        assertTrue(gate.runs.get(last - 1).requestedBy().contains("refs/heads/main c" + last),
                gate.runs.get(last - 1).requestedBy());
        List<RecordLagRequest> recorded = recordedLags(last);
        assertEquals("delivery-" + last, recorded.get(last - 1).samples().get(0).eventId());
    }
}
