package io.romadr.worker.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.romadr.worker.crash.TemporalDevServer;
import io.romadr.worker.crash.WorkerProcess;
import io.temporal.api.history.v1.History;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1 recreates a removed container from a plan whose env names a variable and a file of the worker: on a
 * real Temporal dev server, a real worker process and the real Docker engine, the container gets both values, while
 * no canary value (env from variable, env from file, git/registry/vault credentials in the worker's environment)
 * appears anywhere in the workflow's whole history (every event, every payload), its report or the worker's log.
 */
@org.junit.jupiter.api.Tag("integration")
class SecretsOutOfHistoryTest {
    static final Path ROOT = Path.of("target", "secrets-test");

    @Test
    void envFromVariableAndFileReachTheContainerAndNothingElse() throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "secrets-" + id;
        Path dir = ROOT.resolve(name).toAbsolutePath();
        Path plans = dir.resolve("plans");
        Files.createDirectories(plans);
        Map<String, String> canaries = new LinkedHashMap<>();
        for (String kind : List.of("env", "file", "git", "registry", "vault")) {
            canaries.put(kind, "canary-" + kind + "-" + UUID.randomUUID().toString().replace("-", ""));
        }
        Path secretFile = dir.resolve("api_key");
        Files.writeString(secretFile, canaries.get("file") + "\n");
        Map<String, String> workerEnv = Map.of("ROMA_CANARY_DB_PASSWORD", canaries.get("env"),
                "GIT_TOKEN", canaries.get("git"), "REGISTRY_PASSWORD", canaries.get("registry"),
                "VAULT_TOKEN", canaries.get("vault"));

        SandboxService sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                SandboxService.Options.defaults());
        try (TemporalDevServer server = TemporalDevServer.start(dir.resolve("temporal"))) {
            String yaml = sandbox.planYaml(name, "5m", "30s", "250ms", "2s", "0s", "1s");
            String restart = "        restartPolicy: \"no\"\n";
            int first = yaml.indexOf(restart) + restart.length(); // the template of service "roma"
            yaml = yaml.substring(0, first)
                    + "        env:\n"
                    + "          DB_PASSWORD: {fromEnv: ROMA_CANARY_DB_PASSWORD}\n"
                    + "          API_KEY: {fromFile: \"" + secretFile + "\"}\n"
                    + "          LOG_LEVEL: debug\n"
                    + yaml.substring(first);
            Files.writeString(plans.resolve(name + ".yaml"), yaml);
            String taskQueue = "roma-dr-" + name;
            try (WorkerProcess worker = WorkerProcess.start("worker", dir, server.address(), taskQueue, plans,
                    workerEnv)) {
                sandbox.remove("roma");
                WorkflowClient client = WorkflowClient.newInstance(server.service(),
                        WorkflowClientOptions.newBuilder().setNamespace("default").build());
                ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                        WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(name)
                                .setWorkflowExecutionTimeout(Duration.ofMinutes(5)).build());
                WorkflowClient.start(workflow::recover, new ServiceRecoveryRequest(name, "canary", "junit"));
                ServiceRecoveryReport report = WorkflowStub.fromTyped(workflow).getResult(4, TimeUnit.MINUTES,
                        ServiceRecoveryReport.class);
                assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());
                assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("recreate")
                        && s.outcome() == StepOutcome.OK), report.timeline().toString());

                // The container really got the values.
                String container = sandbox.containerId("roma");
                assertNotNull(container);
                List<String> env = Arrays.asList(docker.inspectContainerCmd(container).exec().getConfig().getEnv());
                assertTrue(env.contains("DB_PASSWORD=" + canaries.get("env")), env.toString());
                assertTrue(env.contains("API_KEY=" + canaries.get("file")), env.toString());
                assertTrue(env.contains("LOG_LEVEL=debug"), env.toString());

                // Nowhere else: every event and payload of the history (text form shows payload bytes as they
                // are; JSON form as base64), the report (as recorded and as printed), the worker's log.
                History history = client.fetchHistory(name).getHistory();
                String text = history.toString();
                String json = client.fetchHistory(name).toJson(false);
                assertTrue(text.contains("ROMA_CANARY_DB_PASSWORD") && text.contains(secretFile.toString()),
                        "the history names where the values come from (the search is looking at the right place)");
                String reportText = report + ReportFormatter.markdown(report);
                String log = worker.logText();
                for (Map.Entry<String, String> c : canaries.entrySet()) {
                    String value = c.getValue();
                    assertFalse(text.contains(value), c.getKey() + " canary in the workflow history");
                    for (String b64 : base64Forms(value)) {
                        assertFalse(json.contains(b64), c.getKey() + " canary (base64) in the workflow history");
                    }
                    assertFalse(reportText.contains(value), c.getKey() + " canary in the report");
                    assertFalse(log.contains(value), c.getKey() + " canary in the worker's log");
                }
            }
        } finally {
            sandbox.destroy();
        }
    }

    /** The value as it shows inside base64 of a longer payload, at each of the three byte alignments. */
    private static List<String> base64Forms(String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        return List.of(0, 1, 2).stream().map(pad -> {
            byte[] padded = new byte[pad + v.length];
            System.arraycopy(v, 0, padded, pad, v.length);
            String b = Base64.getEncoder().encodeToString(padded);
            // drop the characters that depend on neighbouring bytes
            int skip = pad == 0 ? 0 : pad + 2;
            return b.substring(skip, Math.max(skip, b.length() - 4));
        }).toList();
    }
}
