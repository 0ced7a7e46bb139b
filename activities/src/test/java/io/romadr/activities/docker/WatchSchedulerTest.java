package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.romadr.activities.poll.Deadline;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous watch on a real (in-memory) Temporal server and a real HTTP endpoint: the window without an
 * activity slot, the relapse, the resume after a dead worker, and cancellation.
 */
class WatchSchedulerTest {
    private static final String QUEUE = "roma-dr-watch-test";
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);

    /** Calls the watch as a workflow does: heartbeat timeout, a retry for a lost worker. */
    @WorkflowInterface
    public interface WatchWorkflow {
        @WorkflowMethod
        HealthResult watch(HealthRequest request);
    }

    public static class WatchWorkflowImpl implements WatchWorkflow {
        @Override
        public HealthResult watch(HealthRequest request) {
            return Workflow.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(request.within().plusMinutes(1))
                    .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3)
                            .setInitialInterval(Duration.ofMillis(100)).build())
                    .build()).watch(request);
        }
    }

    private final int[] status = {200};
    private HttpServer http;
    private TestWorkflowEnvironment env;
    private final List<WorkerFactory> factories = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        http.start();
        env = TestWorkflowEnvironment.newInstance();
        // Workflow tasks only: no activity is registered on it, so it takes none.
        env.newWorker(QUEUE).registerWorkflowImplementationTypes(WatchWorkflowImpl.class);
        env.start();
    }

    @AfterEach
    void tearDown() {
        factories.forEach(WorkerFactory::shutdownNow);
        env.close();
        http.stop(0);
    }

    /**
     * A worker of its own (its own factory, so it can die alone) with {@code slots} activity slots. The workflow
     * runs on a worker that stays ({@link #setUp}): a workflow cached by a dead worker waits for the test server's
     * sticky queue, which never times out.
     */
    private DockerServiceActivities worker(int slots) {
        DockerServiceActivities activities = new DockerServiceActivities(
                DockerClients.forHost("unix:///tmp/roma-dr-no-such-engine.sock"), new HttpProbe(),
                new HostCommandRunner());
        WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
        Worker w = factory.newWorker(QUEUE, WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(slots).build());
        w.registerActivitiesImplementations(activities);
        factory.start();
        factories.add(factory);
        return activities;
    }

    private HealthRequest request(Duration window, Duration poll) {
        HealthCheck check = new HealthCheck("http", new HttpCheck("http://127.0.0.1:" + http.getAddress().getPort()
                + "/health", 200, Duration.ofSeconds(1)), null);
        return new HealthRequest("romadr-watch-test", List.of(check), window, poll);
    }

    private WatchWorkflow stub(String id) {
        return env.getWorkflowClient().newWorkflowStub(WatchWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            assertFalse(deadline.passed(), "timed out waiting for " + what);
            Deadline.pause(Duration.ofMillis(50));
        }
    }

    @Test
    void watchesHoldNoActivitySlotForTheirWindow() throws Exception {
        DockerServiceActivities activities = worker(1);
        List<CompletableFuture<HealthResult>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(WorkflowClient.execute(stub("watch-slots-" + i)::watch,
                    request(Duration.ofSeconds(3), Duration.ofMillis(300))));
        }
        // With one slot, a watch that held it for its window would let the next one start only after it ended.
        await("three watches at once on one activity slot", () -> activities.activeWatches() == 3);
        for (CompletableFuture<HealthResult> run : runs) {
            HealthResult r = run.get();
            assertTrue(r.healthy(), r.summary());
            assertTrue(r.waitedMillis() >= 3000, "watched " + r.waitedMillis() + " ms");
            assertTrue(r.probes() >= 2, "probes " + r.probes());
            assertEquals(1, r.attempt());
        }
        await("no watch left", () -> activities.activeWatches() == 0);
    }

    @Test
    void aRelapseEndsTheWatchUnhealthy() throws Exception {
        DockerServiceActivities activities = worker(10);
        status[0] = 503;
        HealthResult r = stub("watch-relapse").watch(request(Duration.ofMinutes(1), Duration.ofMillis(300)));
        assertFalse(r.healthy());
        assertEquals(1, r.probes());
        assertTrue(r.summary().contains("FAILED"), r.summary());
        assertEquals(0, activities.activeWatches());
    }

    @Test
    void aRetryOnAnotherWorkerResumesTheWindowOfTheDeadOne() throws Exception {
        DockerServiceActivities first = worker(10);
        CompletableFuture<HealthResult> run = WorkflowClient.execute(stub("watch-resume")::watch,
                request(Duration.ofSeconds(4), Duration.ofMillis(500)));
        await("the watch on the first worker", () -> first.activeWatches() == 1);
        Deadline.pause(Duration.ofSeconds(1));
        // The first worker dies: it stops polling and its watches stop heartbeating.
        factories.get(0).shutdownNow();
        first.stopWatches();
        DockerServiceActivities second = worker(10);
        HealthResult r = run.get();
        assertTrue(r.healthy(), r.summary());
        assertEquals(2, r.attempt());
        // A full 4 s window every 500 ms is 8 rounds; resumed, the rounds of the dead worker count and the
        // heartbeat timeout in between has none.
        assertTrue(r.probes() >= 2 && r.probes() < 8, "probes " + r.probes());
        assertTrue(r.waitedMillis() >= 4000, "watched " + r.waitedMillis() + " ms");
        assertEquals(0, second.activeWatches());
    }

    @Test
    void aCancelledWorkflowStopsItsWatch() throws Exception {
        DockerServiceActivities activities = worker(10);
        WatchWorkflow wf = stub("watch-cancel");
        WorkflowClient.start(wf::watch, request(Duration.ofMinutes(5), Duration.ofMillis(300)));
        await("the watch running", () -> activities.activeWatches() == 1);
        WorkflowStub.fromTyped(wf).cancel();
        await("the watch stopped by its cancelled workflow", () -> activities.activeWatches() == 0);
    }
}
