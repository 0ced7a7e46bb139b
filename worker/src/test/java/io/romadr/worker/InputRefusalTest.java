package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.backup.BackupCatalogWorkflow;
import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflow;
import io.romadr.scenario.gitloss.GitRecoveryWorkflow;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.plan.PlanRepository;
import io.romadr.temporal.RomaWorkflows;
import io.romadr.temporal.WorkflowInputs;
import io.romadr.worker.crash.TemporalDevServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class 1 of issue 13 on the real path: a real {@code temporal server start-dev}, a real {@link RomaWorker} with the
 * project's real plans directory, and raw payloads sent over gRPC as the Web UI or {@code temporal workflow start
 * --input} send them (no client-side converter to stop them first). For every workflow type the worker registers
 * and every kind of unusable input, the execution must be FAILED within seconds, its message must name the problem
 * and show the expected JSON, no workflow task may have failed, and no activity may have been scheduled (nothing
 * touched; an unknown plan gets only the load-plan step).
 */
@org.junit.jupiter.api.Tag("integration")
class InputRefusalTest {
    static final String TASK_QUEUE = "roma-dr-input-refusal";
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final java.util.Set<String> SCENARIOS = java.util.Set.of(ServiceRecoveryWorkflow.TYPE,
            DataCorruptionRecoveryWorkflow.TYPE, GitRecoveryWorkflow.TYPE, SiteRecoveryWorkflow.TYPE,
            io.romadr.scenario.security.SecurityIncidentWorkflow.TYPE);

    static TemporalDevServer temporal;
    static TemporalConnection connection;
    static RomaWorker worker;

    /**
     * One bad input: its payloads (none when the encoding is null; one without encoding metadata when it is empty;
     * else {@code copies} with this encoding and data) and what the message must say.
     */
    record Bad(String name, String encoding, String data, int copies, String says) {
        Bad(String name, String encoding, String data, String says) {
            this(name, encoding, data, 1, says);
        }

        static Bad json(String name, String data, String says) {
            return new Bad(name, "json/plain", data, says);
        }
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        temporal = TemporalDevServer.start(dir);
        connection = new TemporalConnection(temporal.address(), "default");
        PlanRepository plans = new PlanRepository(Path.of("..", "deploy", "plans").toAbsolutePath().normalize());
        // Only the plan activities: an input that got past the check to any other step would hang, not fail. The
        // worker gets a client with the SDK's own options: it must apply roma-dr's converter itself.
        io.temporal.client.WorkflowClient plain = io.temporal.client.WorkflowClient.newInstance(connection.service(),
                io.temporal.client.WorkflowClientOptions.newBuilder().setNamespace("default").build());
        worker = new RomaWorker(plain, TASK_QUEUE,
                new RomaWorker.Activities(new PlanDirectoryActivities(plans), null));
        worker.start();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (temporal != null) {
            temporal.close();
        }
    }

    static List<Bad> badInputs(Class<?> record) {
        List<Bad> bad = new ArrayList<>(List.of(
                new Bad("no input", null, null, "no input"),
                new Bad("empty payload", "json/plain", "", "no input"),
                Bad.json("JSON null", "null", "no input"),
                Bad.json("unknown field", "{\"plna\":\"roma\"}", "unknown field \"plna\""),
                Bad.json("unknown field beside a plan", "{\"plan\":\"roma\",\"force\":true}",
                        "unknown field \"force\""),
                Bad.json("plan a number", "{\"plan\":5}", "field \"plan\" must be a string"),
                Bad.json("plan an object", "{\"plan\":{}}", "field \"plan\" must be a string"),
                Bad.json("plan a list", "{\"plan\":[\"roma\"]}", "field \"plan\" must be a string"),
                Bad.json("plan a boolean", "{\"plan\":false}", "field \"plan\" must be a string"),
                Bad.json("no plan", "{}", "missing field \"plan\""),
                Bad.json("plan null", "{\"plan\":null}", "missing field \"plan\""),
                Bad.json("plan empty", "{\"plan\":\"\"}", "field \"plan\" is empty"),
                Bad.json("plan blank", "{\"plan\":\"  \"}", "field \"plan\" is empty"),
                Bad.json("plan a path", "{\"plan\":\"../etc/passwd\"}", "field \"plan\" is not a plan name"),
                Bad.json("plan upper case", "{\"plan\":\"ROMA\"}", "field \"plan\" is not a plan name"),
                Bad.json("plan too long", "{\"plan\":\"" + "a".repeat(5000) + "\"}",
                        "field \"plan\" is not a plan name"),
                Bad.json("bare string", "\"roma\"", "not a JSON object but a string"),
                Bad.json("number", "42", "not a JSON object but a number"),
                Bad.json("array", "[{\"plan\":\"roma\"}]", "not a JSON object but an array"),
                Bad.json("boolean", "true", "not a JSON object but a boolean"),
                Bad.json("not JSON", "{plan: roma", "not valid JSON"),
                Bad.json("trailing garbage", "{\"plan\":\"roma\"}}", "not valid JSON"),
                Bad.json("duplicate field", "{\"plan\":\"roma\",\"plan\":\"other\"}", "field \"plan\" is given twice"),
                new Bad("binary payload", "binary/plain", "{\"plan\":\"roma\"}", "encoding \"binary/plain\""),
                new Bad("protobuf payload", "json/protobuf", "{\"plan\":\"roma\"}", "encoding \"json/protobuf\""),
                new Bad("unknown encoding", "text/yaml", "plan: roma", "encoding \"text/yaml\""),
                new Bad("no encoding", "", "{\"plan\":\"roma\"}", "a payload without an encoding"),
                new Bad("two inputs", "json/plain", "{\"plan\":\"roma\"}", 2, "2 inputs instead of one JSON object")));
        // Every other field of the record, given a value of the wrong shape.
        for (RecordComponent c : record.getRecordComponents()) {
            if (!c.getName().equals("plan")) {
                bad.add(Bad.json(c.getName() + " an object", "{\"plan\":\"roma\",\"" + c.getName() + "\":{\"x\":1}}",
                        "field \"" + c.getName() + "\" must be "));
            }
        }
        return bad;
    }

    @Test
    void everyWorkflowTypeFailsAtOnceOnEveryKindOfUnusableInput() throws Exception {
        record Started(String type, Bad bad, String workflowId) {
        }
        List<Started> started = new ArrayList<>();
        for (Map.Entry<String, Class<?>> e : RomaWorkflows.INPUTS.entrySet()) {
            for (Bad bad : badInputs(e.getValue())) {
                started.add(new Started(e.getKey(), bad, start(e.getKey(), bad)));
            }
        }
        assertEquals(21, RomaWorkflows.INPUTS.size(), "the worker registers 21 workflow types");
        List<String> problems = new ArrayList<>();
        for (Started s : started) {
            String what = s.type() + " / " + s.bad().name() + " (" + s.workflowId() + ")";
            List<HistoryEvent> history = awaitClosed(s.workflowId());
            HistoryEvent last = history.get(history.size() - 1);
            if (last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED) {
                problems.add(what + ": closed as " + last.getEventType());
                continue;
            }
            String message = last.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage();
            if (!message.startsWith(s.type() + " input: ") || !message.contains(s.bad().says())) {
                problems.add(what + ": message does not say \"" + s.type() + " input: ... " + s.bad().says()
                        + "\": " + message);
            }
            String json = "; expected " + WorkflowInputs.expected(RomaWorkflows.INPUTS.get(s.type()));
            if (!message.endsWith(json)) {
                problems.add(what + ": message does not end with \"" + json + "\": " + message);
            }
            long taskFailures = count(history, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
            long activities = count(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
            if (taskFailures != 0 || activities != 0) {
                problems.add(what + ": " + taskFailures + " workflow task failure(s) " + taskFailureCauses(history)
                        + ", " + activities + " activity(ies) scheduled");
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " of " + started.size() + " executions wrong:\n"
                + String.join("\n", problems));
    }

    @Test
    void anUnknownPlanFailsEveryWorkflowTypeNamingThePlanAndTheKnownOnesWithItsReport() throws Exception {
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (String type : RomaWorkflows.INPUTS.keySet()) {
            ids.put(type, start(type, Bad.json("unknown plan", "{\"plan\":\"no-such-plan\"}", "")));
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            List<HistoryEvent> history = awaitClosed(e.getValue());
            HistoryEvent last = history.get(history.size() - 1);
            String what = e.getKey() + " (" + e.getValue() + ")";
            if (last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED) {
                problems.add(what + ": closed as " + last.getEventType());
                continue;
            }
            io.temporal.api.failure.v1.Failure failure = last.getWorkflowExecutionFailedEventAttributes().getFailure();
            String message = failure.getMessage();
            if (!message.contains("no plan \"no-such-plan\"") || !message.contains("roma")) {
                problems.add(what + ": message names neither the plan nor the known plans: " + message);
            }
            // The run's report travels in the failure (the catalog, a listing, has none), and the CLI reads it.
            boolean hasReport = failure.getApplicationFailureInfo().getDetails().getPayloadsCount() == 1;
            if (hasReport != !e.getKey().equals(BackupCatalogWorkflow.TYPE) || !failure.getApplicationFailureInfo()
                    .getNonRetryable()) {
                problems.add(what + ": report in the failure " + hasReport + ", non-retryable "
                        + failure.getApplicationFailureInfo().getNonRetryable());
            }
            if (SCENARIOS.contains(e.getKey())) {
                CliRun report = CliRun.of(temporal.address(), TASK_QUEUE, "report", e.getValue());
                if (report.exit() != 1 || !report.out().contains("FAILED")) {
                    problems.add(what + ": roma-dr report " + report);
                }
            }
            // Only the load-plan step ran, once: a missing plan is not retried. (A recovery started under an ID of
            // its own first asks whether another recovery of the plan runs: ClaimRecovery reads the server only.)
            // Scenario 1 loads its plan in the workflow task (a local activity: a marker, not an activity task).
            long activities = history.stream()
                    .filter(ev -> ev.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                    .filter(ev -> !ev.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                            .equals("ClaimRecovery"))
                    .count()
                    + history.stream().filter(ev -> ev.hasMarkerRecordedEventAttributes()
                            && ev.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity"))
                            .count();
            long taskFailures = count(history, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
            if (activities != 1 || taskFailures != 0) {
                problems.add(what + ": " + activities + " activity(ies) scheduled, " + taskFailures
                        + " workflow task failure(s)");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** Starts the workflow over raw gRPC with exactly these payloads. */
    static String start(String type, Bad bad) {
        String id = "input-" + type + "-" + UUID.randomUUID();
        StartWorkflowExecutionRequest.Builder request = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setWorkflowId(id)
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(WorkflowType.newBuilder().setName(type))
                .setTaskQueue(TaskQueue.newBuilder().setName(TASK_QUEUE))
                .setWorkflowRunTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(600));
        if (bad.encoding() != null) {
            Payload.Builder payload = Payload.newBuilder().setData(ByteString.copyFrom(bad.data(),
                    StandardCharsets.UTF_8));
            if (!bad.encoding().isEmpty()) {
                payload.putMetadata("encoding", ByteString.copyFromUtf8(bad.encoding()));
            }
            Payloads.Builder payloads = Payloads.newBuilder();
            for (int i = 0; i < bad.copies(); i++) {
                payloads.addPayloads(payload);
            }
            request.setInput(payloads);
        }
        connection.service().blockingStub().startWorkflowExecution(request.build());
        return id;
    }

    /** The history once the execution has closed; fails after the deadline. */
    static List<HistoryEvent> awaitClosed(String workflowId) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            List<HistoryEvent> events = connection.service().blockingStub().getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                    .getHistory().getEventsList();
            HistoryEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
            if (last != null && last.getEventType().name().startsWith("EVENT_TYPE_WORKFLOW_EXECUTION_")
                    && last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED
                    && last.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
                return events;
            }
            long taskFailures = count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
            if (taskFailures > 1 || System.nanoTime() > deadline) {
                throw new AssertionError(workflowId + " still running after " + taskFailures
                        + " workflow task failure(s); last event " + (last == null ? "none" : last.getEventType()));
            }
            Thread.sleep(100); // poll interval of a deadline-bounded wait
        }
    }

    static List<String> taskFailureCauses(List<HistoryEvent> events) {
        return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                .map(e -> e.getWorkflowTaskFailedEventAttributes().getCause() + ": "
                        + e.getWorkflowTaskFailedEventAttributes().getFailure().getMessage())
                .toList();
    }

    static long count(List<HistoryEvent> events, EventType type) {
        return events.stream().filter(e -> e.getEventType() == type).count();
    }
}
