package io.romadr.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.report.TriggerNotice;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RecoveryStarter} on the SDK's in-process server (the embedded one: no list queries, so the canonical IDs
 * alone decide), with starts released together from many threads and no worker (the recoveries stay open, so only
 * the starter decides what runs): one run per plan and scenario, exactly one caller told {@code STARTED}, and every
 * start's notice recorded on the run that handles it.
 */
class RecoveryStarterTest {
    static final String NO_WORKER = "recovery-starter-test-no-worker";
    static final int STARTS = 20;

    TestWorkflowEnvironment env;
    WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stop() {
        env.close();
    }

    @Test
    void startsOfOneScenarioAtTheSameInstantMakeOneRunThatRecordsEveryNotice() throws Exception {
        List<RecoveryStarter.Outcome> outcomes = together("same", i -> "service-failure", false);
        String id = RecoveryStarter.workflowId("service-failure", "same");
        assertEquals(1, outcomes.stream().filter(o -> o.action() == RecoveryStarter.Action.STARTED).count(),
                outcomes::toString);
        assertTrue(outcomes.stream().allMatch(o -> o.workflowId().equals(id)
                && o.action() != RecoveryStarter.Action.REFUSED), outcomes::toString);
        assertEquals(STARTS, signals(id));
    }

    @Test
    void withConcurrentScenariosEachScenarioRunsOnceAndNothingIsRefused() throws Exception {
        List<RecoveryStarter.Outcome> outcomes = together("both",
                i -> i % 2 == 0 ? "service-failure" : "data-corruption", true);
        for (String scenario : List.of("service-failure", "data-corruption")) {
            String id = RecoveryStarter.workflowId(scenario, "both");
            assertEquals(1, outcomes.stream().filter(o -> o.action() == RecoveryStarter.Action.STARTED
                    && o.workflowId().equals(id)).count(), outcomes::toString);
            assertTrue(new RecoveryStarter(client, NO_WORKER).running(id).isPresent(), id);
            assertEquals(STARTS / 2, signals(id));
        }
        assertTrue(outcomes.stream().noneMatch(o -> o.action() == RecoveryStarter.Action.REFUSED),
                outcomes::toString);
    }

    @Test
    void twoScenariosAtTheSameInstantLeaveOneRunningThatEveryRefusalNames() throws Exception {
        List<RecoveryStarter.Outcome> outcomes = together("race",
                i -> i % 2 == 0 ? "service-failure" : "data-corruption", false);
        RecoveryStarter starter = new RecoveryStarter(client, NO_WORKER);
        List<String> running = RecoveryStarter.SCENARIOS.keySet().stream()
                .map(s -> RecoveryStarter.workflowId(s, "race")).filter(id -> starter.running(id).isPresent())
                .toList();
        assertEquals(1, running.size(), () -> running + " " + outcomes);
        for (RecoveryStarter.Outcome o : outcomes) {
            assertEquals(running.get(0), o.workflowId(), outcomes::toString);
        }
        assertEquals(1, outcomes.stream().filter(o -> o.action() == RecoveryStarter.Action.STARTED).count(),
                outcomes::toString);
    }

    private interface ScenarioOf {
        String scenario(int i);
    }

    /** {@link #STARTS} starts of {@code plan}, released at the same instant. */
    private List<RecoveryStarter.Outcome> together(String plan, ScenarioOf scenarioOf, boolean concurrent)
            throws Exception {
        RecoveryStarter starter = new RecoveryStarter(client, NO_WORKER);
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<RecoveryStarter.Outcome>> starts = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            String scenario = scenarioOf.scenario(i);
            TriggerNotice notice = new TriggerNotice("test", "test", "start " + i, "requested", "", "race");
            starts.add(() -> {
                go.await();
                return starter.start(scenario, plan, RecoveryStarter.request(scenario, plan, "test", "race"), notice,
                        concurrent);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(STARTS);
        try {
            List<Future<RecoveryStarter.Outcome>> futures = new ArrayList<>();
            for (Callable<RecoveryStarter.Outcome> s : starts) {
                futures.add(pool.submit(s));
            }
            go.countDown();
            List<RecoveryStarter.Outcome> outcomes = new ArrayList<>();
            for (Future<RecoveryStarter.Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The trigger signals in the history of the running recovery {@code id}. */
    private long signals(String id) {
        return env.getWorkflowServiceStubs().blockingStub().getWorkflowExecutionHistory(
                GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(env.getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getHistory().getEventsList().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
                        && e.getWorkflowExecutionSignaledEventAttributes().getSignalName()
                                .equals(RecoveryStarter.TRIGGER_SIGNAL))
                .count();
    }
}
