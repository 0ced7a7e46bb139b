package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepRecord;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.SingleRecoveryCheck;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * At most one recovery of a plan and scenario, whatever starts it: a real Temporal server ({@code temporal server
 * start-dev}), the real worker host over HTTP (fake activities: the {@code slow} plan's recovery waits until
 * released, so it runs while the triggers arrive), and the real CLI. 300 triggers of mixed sources in parallel make
 * one execution; every caller is told its ID; every trigger is a signal and a timeline line; a different scenario of
 * the plan is refused with the running recovery's ID.
 */
@org.junit.jupiter.api.Tag("integration")
class OneRecoveryPerPlanTest {
    static final Path ROOT = Path.of("target", "one-recovery-per-plan-test");
    static final String ID = "roma-dr-service-failure-slow";
    static final int PAYLOADS = 120;
    static final int ALERTS_PER_PAYLOAD = 5;
    static final int SIGNED = 120;
    static final int CLI = 60;

    static EmbeddedStack stack;
    static DropwizardTestSupport<RomaDrConfiguration> host;
    static WorkflowClient client;
    static String taskQueue;

    @BeforeAll
    static void start() throws Exception {
        taskQueue = "roma-dr-dedup-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        stack = EmbeddedStack.onDevServer(taskQueue, ROOT);
        host = new DropwizardTestSupport<>(HostFakes.App.class, ResourceHelpers.resourceFilePath("host-test.yml"),
                ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
                ConfigOverride.config("temporal.embedded", "false"),
                ConfigOverride.config("temporal.address", stack.address()),
                ConfigOverride.config("temporal.taskQueue", taskQueue),
                ConfigOverride.config("webhooks.maxBodyBytes", "65536"));
        host.before();
        client = stack.client();
    }

    @AfterAll
    static void stop() throws Exception {
        HostFakes.release();
        if (host != null) {
            host.after();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void threeHundredMixedTriggersMakeOneRecoveryAndEveryCallerIsToldIt() throws Exception {
        HostFakes.hold();
        HostClient http = new HostClient(host.getLocalPort(), host.getAdminPort());
        Set<String> toldIds = ConcurrentHashMap.newKeySet();
        List<String> actions = Collections.synchronizedList(new ArrayList<>());
        List<Callable<Void>> triggers = new ArrayList<>();
        for (int p = 0; p < PAYLOADS; p++) {
            List<Map<String, Object>> alerts = new ArrayList<>();
            for (int a = 0; a < ALERTS_PER_PAYLOAD; a++) {
                alerts.add(HostClient.alert("firing", "fp" + p + "x" + a, Map.of("alertname", "SlowRoma" + a)));
            }
            String body = HostClient.payload("firing", alerts);
            triggers.add(() -> {
                HostClient.Reply r = http.alertmanager(body);
                assertEquals(200, r.status(), r.body());
                JsonNode results = r.json().get("alerts");
                assertEquals(ALERTS_PER_PAYLOAD, results.size(), r.body());
                for (JsonNode result : results) {
                    toldIds.add(result.get("workflowId").asText());
                    actions.add(result.get("action").asText());
                }
                return null;
            });
        }
        for (int s = 0; s < SIGNED; s++) {
            String body = "{\"plan\":\"slow\",\"scenario\":\"service-failure\",\"reason\":\"check " + s
                    + " failed\",\"dedupeKey\":\"check-" + s + "\"}";
            triggers.add(() -> {
                HostClient.Reply r = http.recover(body);
                assertEquals(200, r.status(), r.body());
                toldIds.add(r.json().get("workflowId").asText());
                actions.add(r.json().get("action").asText());
                return null;
            });
        }
        for (int c = 0; c < CLI; c++) {
            String reason = "operator " + c;
            triggers.add(() -> {
                CliRun run = stack.cli("recover", "service", "--plan", "slow",
                        "--reason", reason);
                assertEquals(0, run.exit(), run::toString);
                toldIds.add(run.out().strip());
                actions.add(run.err().contains("attached to running recovery " + ID)
                        ? "attached"
                        : run.err().contains("started ServiceRecoveryWorkflow") ? "started" : run.err());
                return null;
            });
        }
        Collections.shuffle(triggers, new java.util.Random(13));
        assertEquals(300, triggers.size());

        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Void>> done = pool.invokeAll(triggers, 5, TimeUnit.MINUTES);
        pool.shutdown();
        for (Future<Void> f : done) {
            f.get(); // rethrows a trigger's failed assertion
        }

        int answers = PAYLOADS * ALERTS_PER_PAYLOAD + SIGNED + CLI;
        assertEquals(Set.of(ID), toldIds);
        assertEquals(answers, actions.size());
        assertEquals(1, actions.stream().filter("started"::equals).count(), actions::toString);
        assertEquals(answers - 1, actions.stream().filter("attached"::equals).count(), actions::toString);

        // Exactly one execution of this plan and scenario (visibility), still the one running.
        List<String> runs = WorkerHostTest.eventually(() -> {
            List<String> r = executions("WorkflowId = '" + ID + "'");
            return r.isEmpty() ? null : r;
        });
        assertEquals(1, runs.size(), runs::toString);
        assertEquals(1, executions("WorkflowType = '" + ServiceRecoveryWorkflow.TYPE + "'").size());

        // Every trigger (one per payload, per signed call, per CLI start) is a signal and a line of the timeline.
        int triggersSent = PAYLOADS + SIGNED + CLI;
        long signals = history(ID).stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .filter(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName()
                        .equals(RecoveryStarter.TRIGGER_SIGNAL))
                .count();
        assertEquals(triggersSent, signals);
        List<StepRecord> timeline = WorkerHostTest.eventually(() -> {
            List<StepRecord> t = client.newWorkflowStub(ServiceRecoveryWorkflow.class, ID).progress().timeline()
                    .stream().filter(s -> s.step().startsWith("trigger-")).toList();
            return t.size() == triggersSent ? t : null;
        });
        assertEquals(PAYLOADS, timeline.stream().filter(s -> s.step().equals("trigger-firing")
                && s.detail().startsWith("alertmanager alerts fp") && s.detail().contains("(and 4 more alert(s))"))
                .count());
        assertEquals(SIGNED, timeline.stream().filter(s -> s.detail().matches("webhook dedupeKey check-\\d+: "
                + "check \\d+ failed")).count());
        assertEquals(CLI, timeline.stream().filter(s -> s.detail().matches("cli \\(by cli:.*\\): operator \\d+"))
                .count());

        // Another scenario of the same plan is refused with the running recovery's ID, from every starter.
        HostClient.Reply signed = http.recover("{\"plan\":\"slow\",\"scenario\":\"data-corruption\"}");
        assertEquals(409, signed.status(), signed.body());
        assertEquals(ID, signed.json().at("/details/workflowId").asText(), signed.body());
        assertTrue(signed.json().get("message").asText().contains(ID), signed.body());
        HostClient.Reply alert = http.alertmanager(HostClient.payload("firing", List.of(HostClient.alert("firing",
                "data1", Map.of("alertname", "SlowData")))));
        assertEquals(409, alert.status(), alert.body());
        assertEquals("refused", alert.json().at("/details/alerts/0/action").asText(), alert.body());
        assertEquals(ID, alert.json().at("/details/alerts/0/workflowId").asText(), alert.body());
        CliRun cli = stack.cli("recover", "git", "--plan", "slow", "--reason", "x");
        assertEquals(7, cli.exit(), cli::toString);
        assertTrue(cli.err().contains(ID), cli::toString);
        assertEquals(0, executions("WorkflowId = 'roma-dr-data-corruption-slow'").size());
        assertEquals(0, executions("WorkflowId = 'roma-dr-git-loss-slow'").size());

        HostFakes.release();
        ServiceRecoveryReport report = client.newUntypedWorkflowStub(ID).getResult(60, TimeUnit.SECONDS,
                ServiceRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, report.outcome());
    }

    @Test
    void twoScenariosStartedAtTheSameInstantLeaveOneRunning() throws Exception {
        // A task queue no worker polls: the recoveries stay open, so only the starter decides what runs.
        RecoveryStarter starter = new RecoveryStarter(client, "no-worker-" + taskQueue);
        for (int round = 0; round < 5; round++) {
            String plan = "race" + round;
            List<Callable<RecoveryStarter.Outcome>> starts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String scenario = i % 2 == 0 ? "service-failure" : "data-corruption";
                starts.add(() -> starter.start(scenario, plan, RecoveryStarter.request(scenario, plan, "test", "race"),
                        new io.romadr.report.TriggerNotice("test", "test", "", "requested", "", "race"), false));
            }
            ExecutorService pool = Executors.newFixedThreadPool(20);
            List<RecoveryStarter.Outcome> outcomes = new ArrayList<>();
            for (Future<RecoveryStarter.Outcome> f : pool.invokeAll(starts)) {
                outcomes.add(f.get());
            }
            pool.shutdown();
            List<String> running = RecoveryStarter.SCENARIOS.keySet().stream()
                    .filter(s -> starter.running(RecoveryStarter.workflowId(s, plan)).isPresent()).toList();
            assertEquals(1, running.size(), () -> running + " " + outcomes);
            String winner = RecoveryStarter.workflowId(running.get(0), plan);
            for (RecoveryStarter.Outcome o : outcomes) {
                if (o.action() == RecoveryStarter.Action.REFUSED) {
                    assertEquals(winner, o.workflowId(), outcomes::toString); // named the one that runs
                }
            }
            assertTrue(outcomes.stream().anyMatch(o -> o.action() == RecoveryStarter.Action.STARTED
                    && o.workflowId().equals(winner)), outcomes::toString);
            client.newUntypedWorkflowStub(winner).terminate("test over");
        }
    }

    @Test
    void aRecoveryStartedUnderItsOwnIdIsTheOneEveryOtherStartJoins() throws Exception {
        HostFakes.hold();
        String plan = "slowui";
        String canonical = RecoveryStarter.workflowId("service-failure", plan);
        // What the Web UI does: a workflow ID the operator typed, input {"plan":"slowui"}.
        WorkflowStub first = uiStart("ui-first-" + taskQueue, ServiceRecoveryWorkflow.TYPE, plan);
        // It is the recovery (its claim found nothing earlier): it reaches its steps and stays running.
        WorkerHostTest.eventually(() -> client.newWorkflowStub(ServiceRecoveryWorkflow.class, first.getExecution()
                .getWorkflowId()).progress().timeline().stream().anyMatch(s -> s.step().equals("wait-healthy"))
                        ? true
                        : null);

        // A second start under another ID of its own: fails at once, naming the first; recorded on the first.
        WorkflowStub second = uiStart("ui-second-" + taskQueue, ServiceRecoveryWorkflow.TYPE, plan);
        WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                () -> second.getResult(60, TimeUnit.SECONDS, ServiceRecoveryReport.class));
        ApplicationFailure cause = (ApplicationFailure) failed.getCause();
        assertEquals(SingleRecoveryCheck.HANDLED_ELSEWHERE, cause.getType());
        assertTrue(cause.getOriginalMessage().contains(first.getExecution().getWorkflowId()), cause::getMessage);
        assertTrue(
                history(second.getExecution().getWorkflowId()).stream()
                        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                                && !e.getActivityTaskScheduledEventAttributes()
                                        .getActivityType().getName().equals("ClaimRecovery")
                                || e.hasMarkerRecordedEventAttributes() && e.getMarkerRecordedEventAttributes()
                                        .getMarkerName().equals("LocalActivity")),
                "no step of the refused start ran");

        // A data-corruption start under its own ID is refused by it too.
        WorkflowStub data = uiStart("ui-data-" + taskQueue, "DataCorruptionRecoveryWorkflow", plan);
        WorkflowFailedException refused = assertThrows(WorkflowFailedException.class,
                () -> data.getResult(60, TimeUnit.SECONDS, Object.class));
        assertTrue(refused.getCause().getMessage().contains(first.getExecution().getWorkflowId()),
                refused.getCause()::getMessage);

        // The starters (webhook, CLI) find it by the plan's search attribute and attach instead of starting.
        HostClient http = new HostClient(host.getLocalPort(), host.getAdminPort());
        HostClient.Reply r = WorkerHostTest.eventually(() -> {
            HostClient.Reply reply = http.recover("{\"plan\":\"slowui\",\"scenario\":\"service-failure\"}");
            return reply.status() == 200 && "attached".equals(reply.json().get("action").asText()) ? reply : null;
        });
        assertEquals(first.getExecution().getWorkflowId(), r.json().get("workflowId").asText(), r.body());
        CliRun cli = stack.cli("recover", "service", "--plan", plan, "--reason", "ui");
        assertEquals(0, cli.exit(), cli::toString);
        assertEquals(first.getExecution().getWorkflowId(), cli.out().strip(), cli::toString);
        assertEquals(0, executions("WorkflowId = '" + canonical + "' AND ExecutionStatus = 'Running'").size());

        List<StepRecord> triggers = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                first.getExecution().getWorkflowId()).progress().timeline().stream()
                .filter(s -> s.step().startsWith("trigger-")).toList();
        assertTrue(triggers.stream().anyMatch(s -> s.detail().contains("ui-second-")), triggers::toString);
        HostFakes.release();
        assertEquals(Outcome.RECOVERED, first.getResult(60, TimeUnit.SECONDS, ServiceRecoveryReport.class).outcome());
    }

    /** A start as the Web UI makes it: the operator's workflow ID, one JSON object, no roma-dr starter. */
    static WorkflowStub uiStart(String workflowId, String type, String plan) {
        WorkflowStub stub = client.newUntypedWorkflowStub(type, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId).setTaskQueue(taskQueue).build());
        stub.start(Map.of("plan", plan));
        return stub;
    }

    static List<String> executions(String query) {
        return client.getWorkflowServiceStubs().blockingStub()
                .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default").setQuery(query).setPageSize(1000).build())
                .getExecutionsList().stream().map(e -> e.getExecution().getRunId()).toList();
    }

    static List<HistoryEvent> history(String workflowId) {
        List<HistoryEvent> events = new ArrayList<>();
        com.google.protobuf.ByteString page = com.google.protobuf.ByteString.EMPTY;
        do {
            var r = client.getWorkflowServiceStubs().blockingStub().getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .setNextPageToken(page).build());
            events.addAll(r.getHistory().getEventsList());
            page = r.getNextPageToken();
        } while (!page.isEmpty());
        return events;
    }
}
