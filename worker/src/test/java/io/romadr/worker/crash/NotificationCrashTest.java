package io.romadr.worker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.notify.LoopbackReceiver;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.worker.EmbeddedStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the worker while it is sending a page: the PagerDuty stand-in (a loopback receiver checking the Events v2
 * fields) holds the first request unanswered, the test kills the worker that sent it, and a fresh worker finishes.
 * The page is sent again by the retried delivery, with the same {@code dedup_key}, so PagerDuty keeps one incident:
 * "no duplicate page". The recovery finishes RECOVERED and its report names the page. Real Temporal dev server, real
 * Docker engine, worker processes of their own; never skipped.
 */
@org.junit.jupiter.api.Tag("integration")
class NotificationCrashTest {
    static final Path ROOT = Path.of("target", "notification-crash-test");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The dev server; each case runs its workers on a task queue of its own. */
    static EmbeddedStack stack;
    static WorkflowClient client;
    static DockerClient docker;

    @BeforeAll
    static void startServer() throws IOException {
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = EmbeddedStack.onDevServer("roma-dr-notification-crash", ROOT);
        client = stack.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedWhileSendingAPageThePageIsNotDuplicated() throws Exception {
        String name = "notify-crash-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = ROOT.resolve(name);
        Path plans = Files.createDirectories(dir.resolve("plans"));
        String taskQueue = "tq-" + name;
        List<WorkerProcess> workers = new ArrayList<>();
        SandboxService sandbox = null;
        try (LoopbackReceiver pagerduty = LoopbackReceiver.start()) {
            pagerduty.answer(r -> LoopbackReceiver.Answer.json(202,
                    "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"k\"}"));
            pagerduty.neverAnswer(); // the first page hangs: the worker is killed inside the send
            sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                    SandboxService.Options.defaults());
            writePlan(plans, name, sandbox, "pagerduty: sre-oncall");
            Path settings = dir.resolve("notifications.yml");
            Files.writeString(settings, "webUiUrl: http://127.0.0.1:8233\ntimeout: 2s\npagerduty:\n"
                    + "  eventsUrl: " + pagerduty.url("/v2/enqueue") + "\n"
                    + "  routingKeys:\n    sre-oncall: { env: ROMA_DR_TEST_PD_KEY }\n");
            Map<String, String> environment = Map.of("ROMA_DR_NOTIFICATIONS", settings.toString(),
                    "ROMA_DR_TEST_PD_KEY", "R0UT1NGKEY0000000000000000000000");
            sandbox.kill("roma");
            workers.add(WorkerProcess.start("worker-1", dir, stack.address(), taskQueue, plans, environment));

            ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(name)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(5)).build());
            WorkflowClient.start(workflow::recover, new ServiceRecoveryRequest(name, "crash test",
                    "NotificationCrashTest"));

            // Kill point: the first page has reached PagerDuty's stand-in and is waiting for its answer.
            WorkerCrashTest.poll(() -> !pagerduty.requests().isEmpty(), Duration.ofSeconds(90),
                    () -> "no page sent; worker log:\n" + workers.get(0).logTail());
            workers.get(0).kill9();
            pagerduty.answerAgain();
            workers.add(WorkerProcess.start("worker-2", dir, stack.address(), taskQueue, plans, environment));

            ServiceRecoveryReport report = WorkflowStub.fromTyped(workflow)
                    .getResult(150, TimeUnit.SECONDS, ServiceRecoveryReport.class);
            assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());

            // The retried page reached PagerDuty again (so the crash really interrupted a send)...
            WorkerCrashTest.poll(() -> triggers(pagerduty).size() >= 2, Duration.ofSeconds(60),
                    () -> "the interrupted page was not sent again: " + triggers(pagerduty));
            List<JsonNode> triggers = triggers(pagerduty);
            // ...with the dedup_key of the first one: PagerDuty folds it into the same incident, no second page.
            Set<String> keys = triggers.stream().map(t -> t.path("dedup_key").asText())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(name + "/recovery-started"), keys, triggers.toString());
            for (JsonNode t : triggers) {
                assertEquals("R0UT1NGKEY0000000000000000000000", t.path("routing_key").asText());
                assertTrue(t.path("payload").path("summary").asText().contains(name), t.toString());
            }
            // The recovery ended, so what the page opened was resolved under the same key.
            WorkerCrashTest.poll(
                    () -> events(pagerduty).stream().anyMatch(e -> e.path("event_action").asText().equals("resolve")
                            && e.path("dedup_key").asText().equals(name + "/recovery-started")),
                    Duration.ofSeconds(60),
                    () -> "no resolve of the page: " + events(pagerduty));
            // And the report says who was paged.
            assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("notify")
                    && s.detail().contains("sre-oncall") && s.detail().toLowerCase().contains("pagerduty")),
                    WorkerCrashTest.timeline(report));
            for (String service : sandbox.services()) {
                assertEquals(200, WorkerCrashTest.status(sandbox.healthUrl(service)), service);
            }
        } finally {
            for (WorkerProcess w : workers) {
                w.close();
            }
            if (sandbox != null) {
                sandbox.destroy();
            }
        }
    }

    /**
     * Alertmanager refusing connections and a Slack webhook answering 500, next to a working PagerDuty: the recovery
     * is RECOVERED as without them, and its report has a line per failed delivery saying why.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void channelsThatAreDownChangeNothingButALineInTheReport() throws Exception {
        String name = "notify-down-" + UUID.randomUUID().toString().substring(0, 8);
        Path dir = ROOT.resolve(name);
        Path plans = Files.createDirectories(dir.resolve("plans"));
        SandboxService sandbox = null;
        WorkerProcess worker = null;
        try (LoopbackReceiver pagerduty = LoopbackReceiver.start(); LoopbackReceiver slack = LoopbackReceiver.start()) {
            pagerduty.answer(r -> LoopbackReceiver.Answer.json(202, "{\"status\":\"success\",\"message\":\"ok\"}"));
            slack.answer(r -> LoopbackReceiver.Answer.text(500, "internal_error"));
            sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                    SandboxService.Options.defaults());
            writePlan(plans, name, sandbox, "alertmanager: down, pagerduty: sre-oncall, slack: sre-incidents");
            Path settings = dir.resolve("notifications.yml");
            Files.writeString(settings, "timeout: 2s\nalertmanager:\n  down: { url: \""
                    + LoopbackReceiver.refusingUrl("") + "\" }\npagerduty:\n"
                    + "  eventsUrl: " + pagerduty.url("/v2/enqueue") + "\n"
                    + "  routingKeys:\n    sre-oncall: { env: ROMA_DR_TEST_PD_KEY }\n"
                    + "slack:\n  sre-incidents: { env: ROMA_DR_TEST_SLACK_URL }\n");
            Map<String, String> environment = Map.of("ROMA_DR_NOTIFICATIONS", settings.toString(),
                    "ROMA_DR_TEST_PD_KEY", "R0UT1NGKEY0000000000000000000000",
                    "ROMA_DR_TEST_SLACK_URL", slack.url("/services/T0/B0/S3CR3TT0K3N"));
            sandbox.kill("roma");
            String taskQueue = "tq-" + name;
            worker = WorkerProcess.start("worker-1", dir, stack.address(), taskQueue, plans, environment);
            ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(name)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(3)).build());
            ServiceRecoveryReport report = workflow.recover(new ServiceRecoveryRequest(name, "channels down",
                    "NotificationCrashTest"));

            assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());
            assertTrue(report.summary().startsWith("Recovered by restart"), report.summary());
            List<String> notify = report.timeline().stream().filter(s -> s.step().equals("notify"))
                    .map(s -> s.outcome() + " " + s.detail()).toList();
            String lines = String.join("\n", notify);
            assertTrue(notify.stream().anyMatch(l -> l.contains("pagerduty") && !l.startsWith("UNDELIVERED")), lines);
            assertTrue(notify.stream().anyMatch(l -> l.startsWith("UNDELIVERED") && l.contains("alertmanager")),
                    lines);
            assertTrue(notify.stream().anyMatch(l -> l.startsWith("UNDELIVERED") && l.contains("slack")), lines);
            assertTrue(!lines.contains("S3CR3TT0K3N") && !lines.contains("R0UT1NGKEY"), lines);
            // Three attempts each: the failures were retried within their bounds, not given up at once.
            assertTrue(slack.requests().size() >= 3, "slack attempts: " + slack.requests().size());
            for (String service : sandbox.services()) {
                assertEquals(200, WorkerCrashTest.status(sandbox.healthUrl(service)), service);
            }
        } finally {
            if (worker != null) {
                worker.close();
            }
            if (sandbox != null) {
                sandbox.destroy();
            }
        }
    }

    /** The sandbox's plan, telling the on-call (reached through {@code channels}) that a recovery started and ended. */
    private static void writePlan(Path plans, String name, SandboxService sandbox, String channels)
            throws IOException {
        Files.writeString(plans.resolve(name + ".yaml"), sandbox.planYaml(name, "5m", "60s", "250ms", "2s", "0s", "1s")
                + "contacts:\n  - id: sre-oncall\n    role: SRE On-Call\n    channels: { " + channels + " }\n"
                + "notify:\n  routes:\n    - events: [recovery-started, recovered, failed]\n      to: [sre-oncall]\n");
    }

    private static List<JsonNode> events(LoopbackReceiver receiver) {
        List<JsonNode> all = new ArrayList<>();
        for (LoopbackReceiver.Request r : receiver.requests()) {
            try {
                all.add(JSON.readTree(r.body()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all;
    }

    private static List<JsonNode> triggers(LoopbackReceiver receiver) {
        return events(receiver).stream().filter(e -> e.path("event_action").asText().equals("trigger")).toList();
    }

}
