package io.romadr.worker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Event;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kill -9 of the worker process in the middle of a Scenario 1 drill, on the real Temporal dev server and the real
 * Docker engine: once while it injects the fault, once while the drill's recovery restarts the service. A
 * {@link DockerGate} between the worker and the engine holds the phase's engine request (the fault's kill, the
 * recovery's restart) until the test has killed the worker that sent it, so the kill lands in that phase every time,
 * and the held request never reaches the engine. A fresh worker finishes the drill: it passes, the engine's own
 * events show one SIGKILL of the target (the fault injected once) and one restart, the timeline has one
 * {@code inject-fault} row, and there is one drill execution with one report.
 */
@org.junit.jupiter.api.Tag("integration")
class DrillCrashTest {
    static final Path ROOT = Path.of("target", "drill-crash-test");
    static final Duration KILL_POINT_TIMEOUT = Duration.ofSeconds(90);
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(3);

    static EmbeddedStack stack;
    static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = EmbeddedStack.onDevServer("roma-dr-drill-crash-" + UUID.randomUUID().toString().substring(0, 8),
                ROOT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** Killed while the fault's SIGKILL is on its way to the engine: the retried injection kills roma, once. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedDuringFaultInjection() throws Exception {
        Crash c = crash("fault", "inject-fault", "^POST /(v[0-9.]+/)?containers/[^/]+/kill");
        // The injection ran again on worker #2 (its first attempt died with worker #1) and did the kill itself.
        assertTrue(c.row("inject-fault").result().startsWith("Success: killed " + c.roma() + " (SIGKILL)"),
                c.timeline());
        assertTrue(c.row("inject-fault").result().contains("attempt 2"), c.timeline());
    }

    /** Killed while the recovery's restart of roma is on its way to the engine: the fault is not injected again. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killedDuringTheRecovery() throws Exception {
        Crash c = crash("recovery", "recovery", "^POST /(v[0-9.]+/)?containers/[^/]+/restart");
        assertEquals("Success: killed " + c.roma() + " (SIGKILL)", c.row("inject-fault").result(), c.timeline());
        assertTrue(c.row("restart").result().startsWith("Success: restarted " + c.roma()), c.timeline());
        // The restart ran again on worker #2: its first attempt died with worker #1.
        assertTrue(c.row("restart").result().contains("attempt 2"), c.timeline());
        assertEquals("recovery", c.row("restart").phase(), c.timeline());
    }

    /** What a crashed drill left: its report, the sandbox's roma container name. */
    record Crash(DrillReport report, String roma) {
        TimelineRow row(String action) {
            return report.timeline().stream().filter(t -> t.action().equals(action)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + action + ":\n" + timeline()));
        }

        String timeline() {
            StringBuilder sb = new StringBuilder(report.summary()).append('\n');
            for (TimelineRow t : report.timeline()) {
                sb.append(String.format(Locale.ROOT, "  %7.1fs %-10s %-16s %s%n", t.atMillis() / 1e3, t.phase(),
                        t.action(), t.result()));
            }
            return sb.append("issues: ").append(report.issues()).toString();
        }
    }

    /**
     * One drill whose worker #1 is killed when the drill is in step {@code step} (its row running in the progress
     * query) with the engine request {@code hold} held at the gate; worker #2 finishes it. Checks what every case
     * must hold and returns the report for the case's own checks.
     */
    private Crash crash(String label, String step, String hold) throws Exception {
        String name = "drill-crash-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path plans = Files.createDirectories(ROOT.resolve(name).resolve("plans"));
        SandboxService sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                SandboxService.Options.defaults());
        stack.closeLater(sandbox::destroy);
        Files.writeString(plans.resolve(name + ".yaml"), sandbox.planYaml(name, "5m", "60s", "250ms", "2s", "0s",
                "1s"));
        WorkerProcess first = null;
        WorkerProcess second = null;
        try (DockerGate gate = DockerGate.start(DockerGate.engineSocket())) {
            Map<String, String> environment = Map.of("DOCKER_HOST", gate.dockerHost());
            gate.hold(hold);
            first = stack.startWorkerProcess(name + "-worker-1", plans, environment);
            EngineEventRecorder recorder = EngineEventRecorder.start(docker, sandbox.composeProject());

            DrillWorkflow drill = stack.client().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(stack.taskQueue()).setWorkflowId(name)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            WorkflowClient.start(drill::drill, new DrillRequest(name, "service-failure", "kill:roma", "", "carol",
                    "olga", "oscar", "mia", null, Duration.ofMinutes(2), "DrillCrashTest"));
            drill.signOff(new DrillSignOff("operator", "olga", ""));
            drill.signOff(new DrillSignOff("observer", "oscar", ""));
            drill.signOff(new DrillSignOff("manager", "mia", ""));

            WorkerProcess killed = first;
            EmbeddedStack.eventually(KILL_POINT_TIMEOUT, () -> {
                if (!killed.isAlive()) {
                    fail("worker #1 exited before the kill point; its log " + killed.logFile() + ":\n"
                            + killed.logTail());
                }
                DrillReport p = drill.progress();
                if (p.success() != null) {
                    fail("the drill finished before the kill point: " + p.timeline());
                }
                boolean inStep = p.timeline().stream().anyMatch(t -> t.action().equals(step)
                        && t.result().equals("Running"));
                return inStep && gate.waiting() > 0 ? true : null;
            }, () -> "no request of step " + step + " held; " + gate + "; progress " + drill.progress().timeline());
            first.kill9();
            assertFalse(first.isAlive(), "worker #1 still alive after SIGKILL");
            second = stack.startWorkerProcess(name + "-worker-2", plans, environment);
            // The held request of the dead worker is dropped before the gate opens: it never reaches the engine.
            EmbeddedStack.eventually(Duration.ofSeconds(20), () -> gate.dropped().size() == 1 && gate.waiting() == 0
                    ? true
                    : null, () -> "the held request of worker #1 was not dropped: " + gate);
            gate.release();

            DrillReport report = WorkflowStub.fromTyped(drill).getResult(RESULT_TIMEOUT.toSeconds(),
                    TimeUnit.SECONDS, DrillReport.class);
            Crash c = new Crash(report, sandbox.containerName("roma"));
            System.out.println(name + ":\n" + c.timeline());
            assertEquals(Boolean.TRUE, report.success(), c.timeline());
            assertTrue(second.isAlive(), "worker #2 died: " + second.logFile());
            sandbox.awaitHealthy(Duration.ofSeconds(10));

            // One fault: the engine saw one SIGKILL of roma, one restart, and nothing done to roma-api.
            Map<String, List<String>> events = recorder.byService();
            recorder.close();
            List<String> roma = events.getOrDefault("roma", List.of());
            List<String> api = events.getOrDefault("roma-api", List.of());
            assertEquals(1, roma.stream().filter(a -> a.equals("kill 9")).count(), "roma: " + roma);
            assertEquals(1, roma.stream().filter(a -> a.equals("die")).count(), "roma: " + roma);
            assertEquals(1, roma.stream().filter(a -> a.equals("restart")).count(), "roma: " + roma);
            assertTrue(api.stream().noneMatch(a -> a.startsWith("kill") || List.of("stop", "die", "restart",
                    "destroy", "create").contains(a)), "roma-api must be untouched: " + api);
            Pattern held = Pattern.compile(hold);
            assertEquals(1, gate.forwarded().stream().filter(l -> held.matcher(l).find()).count(),
                    "the engine got the held kind of request once, from worker #2: " + gate.forwarded());

            // One fault row, one recovery, one drill with one report.
            assertEquals(1, report.timeline().stream().filter(t -> t.action().equals("inject-fault")).count(),
                    c.timeline());
            assertEquals(1, report.timeline().stream().filter(t -> t.action().equals("recovery")).count(),
                    c.timeline());
            assertOneExecution(name);
            assertOneExecution(name + "-recovery");
            assertEquals(1, stack.client().fetchHistory(name).getEvents().stream()
                    .filter(e -> e.hasWorkflowExecutionCompletedEventAttributes()).count());
            return c;
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        }
    }

    /** The server's visibility lists one execution of {@code workflowId}, closed (it is eventually consistent). */
    private static void assertOneExecution(String workflowId) {
        String query = "WorkflowId = '" + workflowId + "'";
        EmbeddedStack.eventually(Duration.ofSeconds(20), () -> {
            List<WorkflowExecutionMetadata> all = stack.client().listExecutions(query).toList();
            return all.size() == 1
                    && all.get(0).getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                            ? true
                            : null;
        }, () -> "not one completed execution of " + workflowId + ": " + stack.client().listExecutions(query)
                .map(e -> e.getExecution().getRunId() + " " + e.getStatus()).toList());
    }

}
