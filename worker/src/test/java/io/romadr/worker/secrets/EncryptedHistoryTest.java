package io.romadr.worker.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.poll.Deadline;
import io.romadr.report.Outcome;
import io.romadr.report.TriggerNotice;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.RomaWorkflows;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.romadr.worker.crash.TemporalDevServer;
import io.romadr.worker.crash.WorkerProcess;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.romadr.worker.RomaWorker;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Payload encryption on the real path: a real {@code temporal server start-dev}, a real worker process with payload
 * key A, the real Docker engine. Every workflow type roma-dr registers runs on a plan full of canary values (a
 * hostname, the compose project that names the containers, an env-file path, a line the container logged, the
 * reason and a memo); the raw history, read over gRPC without any codec, holds only encrypted payloads (search
 * attributes excepted, by design) and none of the canaries, while decrypting it finds them all. Then the real CLI
 * reads the recovery's report with the keys "B then A" (a rotation), and fails naming key A with only B; and every
 * history replays on a worker whose client has the codec (keys "B then A") and the worker's interceptors.
 */
@org.junit.jupiter.api.Tag("integration")
class EncryptedHistoryTest {
    static final Path ROOT = Path.of("target", "encrypted-history-test");
    static final String KEY_A = PayloadKeys.generateLine("key-a");
    static final String KEY_B = PayloadKeys.generateLine("key-b");

    static String id;
    static Path dir;
    static Map<String, String> canaries = new LinkedHashMap<>();
    static SandboxService sandbox;
    static TemporalDevServer server;
    static WorkerProcess worker;
    static WorkflowClient client;
    static String taskQueue;
    static String recoveryId;

    @BeforeAll
    static void recoverAServiceWithKeyA() throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        id = UUID.randomUUID().toString().substring(0, 8);
        dir = ROOT.resolve(id).toAbsolutePath();
        for (String kind : List.of("host", "project", "envfile", "log", "reason", "memo")) {
            canaries.put(kind, "canary-" + kind + "-" + UUID.randomUUID().toString().replace("-", ""));
        }
        sandbox = SandboxService.create(docker, canaries.get("project"), SandboxImage.DEFAULT_IMAGE,
                SandboxService.Options.defaults(), List.of("roma"));
        Path envFile = Files.createDirectories(dir.resolve(canaries.get("envfile"))).resolve("api_key");
        Files.writeString(envFile, "not-a-canary\n");
        Path plans = Files.createDirectories(dir.resolve("plans"));
        // One plan per workflow type: no type is refused because another scenario holds the same plan.
        int n = 0;
        for (String type : RomaWorkflows.INPUTS.keySet()) {
            Files.writeString(plans.resolve(plan(n) + ".yaml"), planYaml(plan(n), envFile));
            n++;
        }
        server = TemporalDevServer.start(dir.resolve("temporal"));
        taskQueue = "roma-dr-encrypted-" + id;
        worker = WorkerProcess.start("worker", dir, server.address(), taskQueue, plans,
                Map.of(PayloadKeys.ENV, KEY_A));
        client = WorkflowClient.newInstance(server.service(),
                RomaClientOptions.of("default", PayloadKeys.parse(KEY_A, "test")));

        // A line the container logs (its log tail goes into the assessment), then the container dies.
        String container = sandbox.containerId("roma");
        var exec = docker.execCreateCmd(container).withCmd("sh", "-c", "echo " + canaries.get("log")
                + " > /proc/1/fd/1").exec();
        docker.execStartCmd(exec.getId()).start().awaitCompletion(20, TimeUnit.SECONDS);
        sandbox.kill("roma");
        String plan = plan(0);
        recoveryId = RecoveryStarter.workflowId("service-failure", plan);
        new RecoveryStarter(client, taskQueue).start("service-failure", plan,
                RecoveryStarter.request("service-failure", plan, "junit", canaries.get("reason")),
                new TriggerNotice("junit", "junit", canaries.get("reason"), "firing", null, canaries.get("reason")),
                false);
        ServiceRecoveryReport report = client.newUntypedWorkflowStub(recoveryId)
                .getResult(3, TimeUnit.MINUTES, ServiceRecoveryReport.class);
        assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (server != null) {
            server.close();
        }
        if (sandbox != null) {
            sandbox.destroy();
        }
    }

    static String plan(int n) {
        return "enc-" + id + "-" + n;
    }

    static String planYaml(String name, Path envFile) {
        String yaml = sandbox.planYaml(name, "5m", "30s", "250ms", "2s", "0s", "1s");
        String restart = "        restartPolicy: \"no\"\n";
        int at = yaml.indexOf(restart) + restart.length();
        return yaml.substring(0, at)
                + "        env:\n"
                + "          DB_HOST: \"" + canaries.get("host") + ".roma.internal\"\n"
                + "          API_KEY: {fromFile: \"" + envFile + "\"}\n"
                + yaml.substring(at);
    }

    @Test
    void everyWorkflowTypesHistoryIsCiphertextWithoutACanary() throws Exception {
        assertTrue(worker.logText().contains("payloads encrypted with key key-a (environment "
                + PayloadKeys.ENV + ", 1 key(s))"), worker.logText());
        Map<String, WorkflowExecution> runs = new LinkedHashMap<>();
        runs.put(ServiceRecoveryWorkflow.TYPE, execution(recoveryId));
        int n = 0;
        for (String type : RomaWorkflows.INPUTS.keySet()) {
            String plan = plan(n++);
            if (!type.equals(ServiceRecoveryWorkflow.TYPE)) {
                String workflowId = "encrypted-" + type + "-" + id;
                // Only the plan: what a webhook or the Web UI gives; the memo is a payload like any other.
                client.newUntypedWorkflowStub(type, WorkflowOptions.newBuilder().setTaskQueue(taskQueue)
                        .setWorkflowId(workflowId).setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                        .setMemo(Map.of("note", canaries.get("memo"))).build())
                        .start(Map.of("plan", plan));
                runs.put(type, execution(workflowId));
            }
        }
        assertEquals(RomaWorkflows.INPUTS.size(), runs.size());
        // Each as far as its first activity's outcome, or its end; then the ones still running are ended.
        Deadline deadline = Deadline.after(Duration.ofSeconds(90));
        for (WorkflowExecution run : runs.values()) {
            while (!closed(history(run)) && !anActivityEnded(history(run))) {
                assertFalse(deadline.passed(), "no activity ended in " + run.getWorkflowId() + " within "
                        + deadline.timeout());
                Deadline.pause(deadline.next(Duration.ofMillis(250)));
            }
        }
        for (WorkflowExecution run : runs.values()) {
            if (!closed(history(run))) {
                server.service().blockingStub().terminateWorkflowExecution(TerminateWorkflowExecutionRequest
                        .newBuilder().setNamespace("default").setWorkflowExecution(run).setReason("test done")
                        .build());
            }
        }

        List<String> clear = new ArrayList<>();
        StringBuilder decrypted = new StringBuilder();
        AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeys.parse(KEY_A, "test"));
        int payloads = 0;
        int encodedFailures = 0;
        for (Map.Entry<String, WorkflowExecution> e : runs.entrySet()) {
            History history = history(e.getValue());
            String bytes = history.toByteString().toString(StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> c : canaries.entrySet()) {
                assertFalse(bytes.contains(c.getValue()), c.getKey() + " canary in the raw history of " + e.getKey());
            }
            List<Payload> found = new ArrayList<>();
            for (HistoryEvent event : history.getEventsList()) {
                collect(event, event.getEventType() + "", found, clear);
                encodedFailures += encodedFailures(event);
            }
            payloads += found.size();
            for (Payload p : codec.decode(found)) {
                decrypted.append(p.getData().toStringUtf8()).append('\n');
            }
            assertTrue(found.size() >= 2, e.getKey() + ": expected at least the input and an activity's payload, found "
                    + found.size());
        }
        assertTrue(clear.isEmpty(), clear.size() + " payload(s) not encrypted:\n" + String.join("\n", clear));
        assertTrue(encodedFailures > 0, "no failure with encoded (encrypted) attributes: the failure path was missed");
        // The search looked at the right place: decrypted, the histories hold every canary.
        for (Map.Entry<String, String> c : canaries.entrySet()) {
            assertTrue(decrypted.toString().contains(c.getValue()), c.getKey() + " canary not in the decrypted"
                    + " payloads (" + payloads + " payloads)");
        }
        // Every workflow type's encrypted history replays on a worker whose client has the codec.
        try (TestWorkflowEnvironment replayEnv = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions
                .newBuilder().setWorkflowClientOptions(RomaClientOptions.of("default", PayloadKeys.parse(KEY_B
                        + "\n" + KEY_A, "test")))
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(RomaWorker.interceptors()).build())
                .build())) {
            Worker replayer = replayEnv.newWorker("replay");
            replayer.registerWorkflowImplementationTypes(RomaWorkflows.IMPLEMENTATIONS.toArray(Class<?>[]::new));
            for (Map.Entry<String, WorkflowExecution> e : runs.entrySet()) {
                WorkflowReplayer.replayWorkflowExecution(new WorkflowExecutionHistory(history(e.getValue()),
                        e.getValue().getWorkflowId()), replayer);
            }
        }
    }

    @Test
    void aRotatedKeySetReadsTheOlderHistoryAndAMissingKeyIsNamed() throws Exception {
        Cli rotated = cli(Map.of(PayloadKeys.ENV, KEY_B + ";" + KEY_A), "report", recoveryId);
        assertEquals(0, rotated.exit(), rotated.output());
        assertTrue(rotated.output().contains("RECOVERED") && rotated.output().contains(plan(0)), rotated.output());
        Cli status = cli(Map.of(PayloadKeys.ENV, KEY_B + ";" + KEY_A), "status", recoveryId, "--once");
        assertEquals(0, status.exit(), status.output());

        Cli onlyB = cli(Map.of(PayloadKeys.ENV, KEY_B), "report", recoveryId);
        assertEquals(6, onlyB.exit(), onlyB.output());
        assertTrue(onlyB.output().contains("roma-dr: cannot decrypt what Temporal returned: a payload encrypted with"
                + " key key-a, which is not among the payload keys (environment " + PayloadKeys.ENV + ": key-b)"),
                onlyB.output());
        assertFalse(onlyB.output().contains("\tat "), "one line, no stack trace: " + onlyB.output());

        Cli none = cli(Map.of(), "report", recoveryId);
        assertEquals(6, none.exit(), none.output());
        assertTrue(none.output().contains("is encrypted and no payload keys are set"), none.output());
    }

    record Cli(int exit, String output) {
    }

    /** The real CLI in its own JVM with these environment variables (and no payload keys of this one). */
    static Cli cli(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", WorkerProcess.classpath(), "io.romadr.cli.RomaDrCommand"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--address", server.address()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove(PayloadKeys.ENV);
        pb.environment().remove(PayloadKeys.FILE_ENV);
        pb.environment().putAll(environment);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not end within 60 s: " + out);
        }
        return new Cli(p.exitValue(), out);
    }

    static WorkflowExecution execution(String workflowId) {
        return WorkflowExecution.newBuilder().setWorkflowId(workflowId).build();
    }

    /** The raw history over gRPC: no data converter, no codec, what the server stores. */
    static History history(WorkflowExecution run) {
        History.Builder all = History.newBuilder();
        com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
        do {
            GetWorkflowExecutionHistoryResponse page = server.service().blockingStub()
                    .getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                            .setNamespace("default").setExecution(run).setNextPageToken(token).build());
            all.addAllEvents(page.getHistory().getEventsList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all.build();
    }

    static boolean closed(History h) {
        HistoryEvent last = h.getEvents(h.getEventsCount() - 1);
        return switch (last.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                    EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
                    EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW ->
                true;
            default -> false;
        };
    }

    static boolean anActivityEnded(History h) {
        return h.getEventsList().stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                || e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    }

    /**
     * Every payload anywhere in {@code message} (inputs, results, signals, updates, memo, failure attributes and
     * details, heartbeat details, headers, user metadata), into {@code found}; the ones not encrypted also into
     * {@code clear} with their path. Search attributes are skipped: the server indexes them, so they are never
     * encoded (roma-dr puts only scenario, plan name, outcome and the RTO flag there); so are version markers.
     */
    static void collect(Message message, String path, List<Payload> found, List<String> clear) {
        if (message instanceof SearchAttributes) {
            return;
        }
        if (message instanceof MarkerRecordedEventAttributes m && m.getMarkerName().equals("Version")) {
            // The SDK writes Workflow.getVersion's markers with its own converter, never the codec, so that any
            // worker can read them: a change id of roma-dr's code and a number, never data.
            for (Payloads details : m.getDetailsMap().values()) {
                for (Payload p : details.getPayloadsList()) {
                    String data = p.getData().toStringUtf8();
                    assertTrue(data.matches("\"[a-z0-9-]+\"|-?[0-9]+"), "a version marker holding " + data);
                }
            }
            return;
        }
        if (message instanceof MarkerRecordedEventAttributes m && m.getMarkerName().equals("LocalActivity")) {
            // A step run in the workflow task (a local activity): the SDK writes the marker's bookkeeping with its
            // own converter (the activity's id and type, the time, the attempt), never data; its result (and its
            // failure) is the workflow's payload like any activity's, so it must be encrypted. Its input is not
            // recorded (doNotIncludeArgumentsIntoMarker).
            for (Map.Entry<String, Payloads> d : m.getDetailsMap().entrySet()) {
                String at = path + ".details." + d.getKey();
                switch (d.getKey()) {
                    case "activityId", "type", "time", "meta" -> {
                        for (Payload p : d.getValue().getPayloadsList()) {
                            String data = p.getData().toStringUtf8();
                            assertTrue(data.matches("\"[A-Za-z0-9-]+\"|-?[0-9]+|\\{\"firstSkd\":[0-9]+,\"atpt\":[0-9]+,"
                                    + "\"backoff\":(null|[0-9.]+)}"),
                                    "a local activity marker holding " + data + " at " + at);
                        }
                    }
                    default -> collect(d.getValue(), at, found, clear);
                }
            }
            if (m.hasFailure()) {
                collect(m.getFailure(), path + ".failure", found, clear);
            }
            return;
        }
        if (message instanceof Payload p) {
            found.add(p);
            if (!AesGcmPayloadCodec.isEncrypted(p)) {
                clear.add(path + ": encoding " + p.getMetadataOrDefault("encoding",
                        com.google.protobuf.ByteString.EMPTY).toStringUtf8() + " " + p.getData().toStringUtf8());
            }
            return;
        }
        for (Map.Entry<FieldDescriptor, Object> f : message.getAllFields().entrySet()) {
            if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            String at = path + "." + f.getKey().getName();
            if (f.getKey().isRepeated()) {
                for (Object item : (List<?>) f.getValue()) {
                    collect((Message) item, at, found, clear);
                }
            } else {
                collect((Message) f.getValue(), at, found, clear);
            }
        }
    }

    /** Failures in this event whose message and stack trace travel encrypted in their encoded attributes. */
    static int encodedFailures(Message message) {
        int count = 0;
        if (message instanceof Failure f && f.hasEncodedAttributes()) {
            assertEquals("Encoded failure", f.getMessage());
            assertEquals("", f.getStackTrace());
            count++;
        }
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            if (field.getKey().getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.getKey().isRepeated()) {
                count += encodedFailures((Message) field.getValue());
            }
        }
        return count;
    }
}
