package io.romadr.worker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.ContainerLogLines;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LogShipment;
import io.romadr.backup.LogShippingReport;
import io.romadr.backup.LogShippingWorkflow;
import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.WorkerMain;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Production log shipping across a kill -9, on a real Temporal server ({@code temporal server start-dev}), the real
 * Docker engine and a local backup store: a container writes numbered lines all along; run 1 ships; run 2's engine
 * read of the log is held at a {@link DockerGate} until worker #1 is SIGKILLed, and worker #2 ships the range after
 * the activity's heartbeat timeout; run 3 ships again. {@code roma-dr logs} then prints every numbered line up to run
 * 3's cut-off exactly once, in order, with no gap, and they are exactly the lines the engine holds up to it.
 */
@org.junit.jupiter.api.Tag("integration")
class LogShippingCrashTest {
    static final Path ROOT = Path.of("target", "log-shipping-crash-test");
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(2);
    static final Pattern NUMBERED = Pattern.compile("-app-1 stdout n=(\\d+)$");

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aKillDuringShippingLosesAndDuplicatesNoLine() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "logship-" + id;
        Path dir = ROOT.resolve(name).toAbsolutePath();
        Path plans = dir.resolve("plans");
        Path store = dir.resolve("store");
        Files.createDirectories(plans);
        Files.createDirectories(store);
        String project = "romadr-" + name;
        Files.writeString(plans.resolve(name + ".yaml"), plan(name, project, store));
        String taskQueue = "roma-dr-" + name;
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String container = startWriter(docker, project);
        List<WorkerProcess> workers = new ArrayList<>();
        try (EmbeddedStack stack = EmbeddedStack.onDevServer(taskQueue, dir);
                DockerGate gate = DockerGate.start(DockerGate.engineSocket())) {
            WorkflowClient client = stack.client();
            Map<String, String> env = Map.of("DOCKER_HOST", gate.dockerHost());
            workers.add(WorkerProcess.start("worker-1", dir, stack.address(), taskQueue, plans, env));
            // A run ships up to its start minus 5 s: run 1 has lines to ship once the writer's first line is older.
            EmbeddedStack.eventually(Duration.ofSeconds(30), () -> linesUpTo(docker, container,
                    Instant.now().minusSeconds(6)) > 0 ? true : null, () -> "the writer logged nothing");
            long t0 = System.nanoTime();

            LogShippingReport first = ship(client, taskQueue, name + "-1").getResult(RESULT_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS, LogShippingReport.class);
            assertEquals(Outcome.RECOVERED, first.outcome(), first.summary() + "\n" + first.timeline());
            assertTrue(first.services().get(0).lines() > 0, first.services().toString());

            // Run 2: the engine read of the log is held, so worker #1 dies inside the ship step.
            gate.hold("^GET /(v[0-9.]+/)?containers/[^/]+/logs");
            WorkflowStub second = ship(client, taskQueue, name + "-2");
            EmbeddedStack.eventually(Duration.ofSeconds(60), () -> gate.waiting() > 0 ? true : null,
                    () -> "no log read of run 2 held: " + gate);
            long killAt = System.nanoTime();
            workers.get(0).kill9();
            assertFalse(workers.get(0).isAlive(), "worker #1 still alive after SIGKILL");
            EmbeddedStack.eventually(Duration.ofSeconds(20), () -> gate.dropped().size() == 1 ? true : null,
                    () -> "the dead worker's held read not dropped: " + gate);
            gate.release();
            workers.add(WorkerProcess.start("worker-2", dir, stack.address(), taskQueue, plans, env));
            LogShippingReport resumed = second.getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS,
                    LogShippingReport.class);
            double afterKill = (System.nanoTime() - killAt) / 1e9;
            assertEquals(Outcome.RECOVERED, resumed.outcome(), resumed.summary() + "\n" + resumed.timeline());
            StepRecord shipStep = resumed.timeline().stream().filter(s -> s.step().equals("ship-app")).findFirst()
                    .orElseThrow(() -> new AssertionError("no ship-app step: " + resumed.timeline()));
            assertTrue(shipStep.attempts() >= 2, "the ship step should have been retried: " + shipStep);
            // Resumed exactly where run 1 ended.
            assertEquals(first.cutoff(), resumed.services().get(0).from(), resumed.services().toString());

            LogShippingReport third = ship(client, taskQueue, name + "-3").getResult(RESULT_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS, LogShippingReport.class);
            assertEquals(Outcome.RECOVERED, third.outcome(), third.summary());
            assertEquals(resumed.cutoff(), third.services().get(0).from(), third.services().toString());

            // What an SRE runs after a loss: every line from before the container started to run 3's cut-off.
            Path output = dir.resolve("app.log");
            StringWriter err = new StringWriter();
            CommandLine cli = WorkerMain.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("logs", "--plan", name, "--plans", plans.toString(), "--since",
                    Instant.ofEpochMilli(first.cutoff()).minus(Duration.ofHours(1)).toString(), "--until",
                    Instant.ofEpochMilli(third.cutoff() + 1).toString(), "--output", output.toString());
            assertEquals(0, exit, err.toString());
            List<String> lines = Files.readAllLines(output);
            List<Long> numbers = new ArrayList<>();
            for (String line : lines) {
                Matcher m = NUMBERED.matcher(line);
                assertTrue(m.find(), "not a line of the writer: " + line);
                numbers.add(Long.parseLong(m.group(1)));
            }
            for (int i = 0; i < numbers.size(); i++) {
                assertEquals(i + 1, numbers.get(i), "line " + (i + 1) + " of the output (a gap, a duplicate or out "
                        + "of order): " + lines.get(i));
            }
            // And no line the engine holds up to the cut-off is missing at the end.
            long[] held = {0};
            ContainerLogLines.read(docker, container, Instant.EPOCH, Instant.ofEpochMilli(third.cutoff()),
                    line -> held[0]++, () -> {
                    });
            assertEquals(held[0], numbers.size(), "lines up to run 3's cut-off: engine vs shipped");
            assertEquals(numbers.size(), first.services().get(0).lines() + resumed.services().get(0).lines()
                    + third.services().get(0).lines(),
                    "lines per run: " + List.of(first, resumed, third).stream()
                            .map(r -> r.services().get(0)).map(LogShipment::lines).toList());
            // Three objects that meet exactly, and the lag of runs 2 and 3 recorded.
            try (var files = Files.walk(store.resolve("logs").resolve(name).resolve("app"))) {
                assertEquals(6, files.filter(Files::isRegularFile).count(), "3 objects and their manifests");
            }
            String lags = Files.readString(store.resolve(LagHistory.key(name, "logs")));
            assertTrue(lags.contains("app@" + resumed.cutoff()) && lags.contains("app@" + third.cutoff()), lags);
            System.out.printf(Locale.ROOT, "%s: %d lines in 3 runs; run 2 finished %.1fs after the kill -9; whole case "
                    + "%.1fs%n", name, numbers.size(), afterKill, (System.nanoTime() - t0) / 1e9);
        } finally {
            for (WorkerProcess w : workers) {
                w.close();
            }
            docker.removeContainerCmd(container).withForce(true).exec();
        }
    }

    /** How many lines the engine holds for {@code container} stamped at or before {@code until}. */
    private static long linesUpTo(DockerClient docker, String container, Instant until) {
        long[] held = {0};
        try {
            ContainerLogLines.read(docker, container, Instant.EPOCH, until, line -> held[0]++, () -> {
            });
        } catch (Exception e) {
            throw new AssertionError("reading the writer's log: " + e, e);
        }
        return held[0];
    }

    private static WorkflowStub ship(WorkflowClient client, String taskQueue, String workflowId) {
        LogShippingWorkflow wf = client.newWorkflowStub(LogShippingWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue).setWorkflowId(workflowId)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5)).build());
        WorkflowClient.start(wf::ship, new BackupRequest(workflowId.substring(0, workflowId.lastIndexOf('-')),
                "LogShippingCrashTest"));
        return WorkflowStub.fromTyped(wf);
    }

    private static String plan(String name, String project, Path store) {
        return """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks:
                    - name: alive
                      exec: { service: app, command: [true], timeout: 5s }
                rto: { service: 15m }
                backup:
                  store: { uri: "file://%s" }
                  logs: { retention: 30d }
                """.formatted(name, project, store);
    }

    /** {@code <project>-app-1}: prints n=1, n=2, ... about every 10 ms, for as long as the test runs. */
    private static String startWriter(DockerClient docker, String project) throws IOException {
        String id = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-app-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "app", "io.romadr.sandbox", "true"))
                .withCmd("sh", "-c", "i=0; while :; do i=$((i+1)); echo n=$i; sleep 0.01; done")
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }
}
