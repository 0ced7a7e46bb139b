package io.romadr.worker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.recovery.ServiceRecoveryRequest;
import io.romadr.recovery.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.report.RecoveryReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash tests against a real Temporal server ({@code temporal server start-dev}, started here on free ports) and the
 * real Docker engine. Each case breaks a sandbox service, starts a recovery, waits until the worker process is inside
 * one step (the progress query names it and the server shows its activity STARTED on that worker), SIGKILLs the
 * worker, starts a fresh one, and expects the same workflow to finish RECOVERED with both health URLs answering 200
 * and the interrupted step in the report as OK after a retry (attempts >= 2).
 *
 * <p>A missing {@code temporal} CLI or Docker engine fails these tests with the fix; they are never skipped.
 */
class WorkerCrashTest {
    static final Duration KILL_POINT_TIMEOUT = Duration.ofSeconds(90);
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(2);
    /** The kill lands this long after the server saw the activity start on worker #1: well inside the step. */
    static final Duration INTO_STEP = Duration.ofMillis(1000);

    static final Path ROOT = Path.of("target", "crash-test");
    static final List<String> TIMINGS = Collections.synchronizedList(new ArrayList<>());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static TemporalDevServer server;
    static WorkflowClient client;
    static DockerClient docker;

    @BeforeAll
    static void startServer() throws IOException {
        docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("Docker engine unreachable at " + System.getenv().getOrDefault("DOCKER_HOST",
                    DockerClients.DEFAULT_HOST) + " (" + e + "). Start it (e.g. `nohup dockerd >/tmp/dockerd.log 2>&1"
                    + " &`); the crash tests need a real engine and are never skipped.");
        }
        SandboxImage.ensure(docker);
        long t0 = System.nanoTime();
        server = TemporalDevServer.start(ROOT);
        System.out.printf(Locale.ROOT, "temporal server start-dev ready at %s in %.1fs%n", server.address(),
                (System.nanoTime() - t0) / 1e9);
        client = WorkflowClient.newInstance(server.service(),
                WorkflowClientOptions.newBuilder().setNamespace("default").build());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        System.out.println("Crash test timings (kill -9 of worker #1 -> workflow completed on worker #2):");
        TIMINGS.forEach(System.out::println);
    }

    /** Unhealthy but running, no init: every container's stop waits the 6s stop timeout, so restart is slow. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringRestart() throws Exception {
        RecoveryReport report = crash(new Case("restart", new SandboxService.Options(0, false), "6s", "Restart",
                sandbox -> sandbox.breakHealth("roma")));
        assertTrue(report.summary().contains("Recovered by restart"), report.summary());
    }

    /** A slow start (6s before the container serves) after the restart of a killed container. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringWaitHealthy() throws Exception {
        RecoveryReport report = crash(new Case("wait-healthy", new SandboxService.Options(6, true), "6s",
                "WaitHealthy", sandbox -> sandbox.kill("roma")));
        assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("restart")
                && s.outcome() == StepOutcome.OK), timeline(report));
    }

    /**
     * roma-api removed (restart cannot bring it back, so it is SKIPPED) and roma paused (not running, so a target;
     * without init, stopping a paused container waits out the 6s stop timeout): recreate is slow.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringRecreate() throws Exception {
        RecoveryReport report = crash(new Case("recreate", new SandboxService.Options(0, false), "6s", "Recreate",
                sandbox -> {
                    sandbox.remove("roma-api");
                    docker.pauseContainerCmd(sandbox.containerId("roma")).exec();
                }));
        assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("restart")
                && s.outcome() == StepOutcome.SKIPPED), timeline(report));
    }

    /** Killed while the workflow only waits on its watch-window timers: the new worker replays and finishes. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringWatchWindow() throws Exception {
        RecoveryReport report = crash(new Case("watch", SandboxService.Options.defaults(), "6s", null,
                sandbox -> sandbox.kill("roma")));
        StepRecord watch = report.timeline().stream().filter(s -> s.step().equals("watch")).findFirst()
                .orElseThrow(() -> new AssertionError("no watch step: " + timeline(report)));
        assertEquals(StepOutcome.OK, watch.outcome(), timeline(report));
    }

    /**
     * @param killStep     the progress query's current step at which worker #1 is killed
     * @param activityType the activity that must be STARTED on worker #1 at the kill; null: none may be pending
     */
    record Case(String killStep, SandboxService.Options options, String stopTimeout, String activityType,
            Consumer<SandboxService> fault) {}

    private RecoveryReport crash(Case c) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "crash-" + c.killStep() + "-" + id;
        Path dir = ROOT.resolve(name);
        Path plans = dir.resolve("plans");
        Files.createDirectories(plans);
        String taskQueue = "roma-dr-" + name;
        SandboxService sandbox = null;
        WorkerProcess first = null;
        WorkerProcess second = null;
        try {
            sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE, c.options());
            Files.writeString(plans.resolve(name + ".yaml"),
                    sandbox.planYaml(name, "5m", "60s", "250ms", c.stopTimeout(), "4s", "1s"));
            first = WorkerProcess.start("worker-1", dir, server.address(), taskQueue, plans);
            c.fault().accept(sandbox);

            String workflowId = name;
            ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(workflowId)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            long started = System.nanoTime();
            WorkflowClient.start(workflow::recover, new ServiceRecoveryRequest(name, "crash test", "WorkerCrashTest"));

            Progress atKill = awaitKillPoint(workflow, workflowId, c, first);
            long killAt = System.nanoTime();
            first.kill9();
            long killed = System.nanoTime();
            assertFalse(first.isAlive(), "worker #1 still alive after SIGKILL");
            second = WorkerProcess.start("worker-2", dir, server.address(), taskQueue, plans);
            long secondUp = System.nanoTime();

            RecoveryReport report = WorkflowStub.fromTyped(workflow)
                    .getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS, RecoveryReport.class);
            long done = System.nanoTime();
            String timing = String.format(Locale.ROOT,
                    "  %-13s kill -9 at +%.1fs in step %s; worker #2 polling %.1fs after the kill; workflow"
                            + " completed %.1fs after the kill (%.1fs in all)",
                    c.killStep(), (killAt - started) / 1e9, atKill.currentStep(), (secondUp - killed) / 1e9,
                    (done - killAt) / 1e9, (done - started) / 1e9);
            TIMINGS.add(timing);
            System.out.println(name + ":" + timing.trim());
            System.out.println(timeline(report));

            assertEquals(Outcome.RECOVERED, report.outcome(), report.summary() + "\n" + timeline(report));
            for (String service : sandbox.services()) {
                assertEquals(200, status(sandbox.healthUrl(service)), service + " " + sandbox.healthUrl(service));
            }
            if (c.activityType() != null) {
                assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals(c.killStep())
                                && s.outcome() == StepOutcome.OK && s.attempts() >= 2),
                        "the interrupted step " + c.killStep() + " should be OK with attempts >= 2:\n"
                                + timeline(report));
            }
            assertFalse(second.logText().isEmpty());
            assertTrue(second.isAlive(), "worker #2 died: " + second.log());
            return report;
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
            if (sandbox != null) {
                unpauseQuietly(sandbox);
                sandbox.destroy();
            }
        }
    }

    /**
     * Polls the progress query (and the server's pending activities) until the workflow is inside the kill step on
     * worker #1, with a deadline. Between polls it waits on worker #1's exit, so a worker that dies is seen at once.
     */
    private Progress awaitKillPoint(ServiceRecoveryWorkflow workflow, String workflowId, Case c, WorkerProcess first) {
        long deadline = System.nanoTime() + KILL_POINT_TIMEOUT.toNanos();
        long insideSince = 0;
        String last = "";
        while (true) {
            if (!first.isAlive()) {
                fail("worker #1 exited before the kill point; its log " + first.log() + ":\n"
                        + TemporalDevServer.tail(first.log()));
            }
            Progress p = workflow.progress();
            if (p.outcome() != Outcome.RUNNING) {
                fail("the workflow finished (" + p.outcome() + ") before reaching step " + c.killStep() + ": "
                        + p.timeline());
            }
            List<PendingActivityInfo> pending = client.getWorkflowServiceStubs().blockingStub()
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                            .build())
                    .getPendingActivitiesList();
            last = "step=" + p.currentStep() + " pending=" + pending.stream()
                    .map(a -> a.getActivityType().getName() + "/" + a.getState() + "/attempt " + a.getAttempt())
                    .collect(Collectors.joining(","));
            boolean inside;
            if (c.activityType() == null) {
                inside = c.killStep().equals(p.currentStep()) && pending.isEmpty();
                if (inside) {
                    return p;
                }
            } else {
                inside = c.killStep().equals(p.currentStep()) && pending.stream().anyMatch(a ->
                        a.getActivityType().getName().equals(c.activityType())
                                && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                                && a.getAttempt() == 1);
                long now = System.nanoTime();
                if (!inside) {
                    insideSince = 0;
                } else if (insideSince == 0) {
                    insideSince = now;
                } else if (now - insideSince >= INTO_STEP.toNanos()) {
                    return p;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("step " + c.killStep() + " not reached within " + KILL_POINT_TIMEOUT + "; last seen " + last);
            }
            TemporalDevServer.waitFor(first.process(), 50);
        }
    }

    private static void unpauseQuietly(SandboxService sandbox) {
        for (String service : sandbox.services()) {
            String id = sandbox.containerId(service);
            if (id == null) {
                continue;
            }
            try {
                if (Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getPaused())) {
                    docker.unpauseContainerCmd(id).exec();
                }
            } catch (RuntimeException e) {
                // cleanup only
            }
        }
    }

    static String timeline(RecoveryReport r) {
        StringBuilder sb = new StringBuilder("  outcome " + r.outcome() + ": " + r.summary() + "\n");
        for (StepRecord s : r.timeline()) {
            sb.append(String.format(Locale.ROOT, "  %-14s round %d  %6.1fs  attempts %d  %-8s %s%n", s.step(),
                    s.round(), s.durationMillis() / 1e3, s.attempts(), s.outcome(), s.detail()));
        }
        return sb.toString();
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
