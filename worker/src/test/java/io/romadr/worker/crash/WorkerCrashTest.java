package io.romadr.worker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.romadr.worker.EmbeddedStack;
import io.temporal.client.WorkflowClient;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
@org.junit.jupiter.api.Tag("integration")
class WorkerCrashTest {
    static final Duration KILL_POINT_TIMEOUT = Duration.ofSeconds(90);
    /** The Scenario 1 steps that run in the workflow task (local activities, {@code observing-steps-in-task}). */
    static final java.util.Set<String> IN_TASK = java.util.Set.of("Assess", "Check");
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(2);
    /** The kill lands this long after the server saw the activity start on worker #1: well inside the step. */
    static final Duration INTO_STEP = Duration.ofMillis(1000);

    static final Path ROOT = Path.of("target", "crash-test");
    static final List<String> TIMINGS = Collections.synchronizedList(new ArrayList<>());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The dev server; each case runs its workers on a task queue of its own. */
    static EmbeddedStack stack;
    static WorkflowClient client;
    static DockerClient docker;

    @BeforeAll
    static void startServer() throws IOException {
        docker = DockerTestSupport.dockerWithSandboxImage();
        long t0 = System.nanoTime();
        stack = EmbeddedStack.onDevServer("roma-dr-crash", ROOT);
        System.out.printf(Locale.ROOT, "temporal server start-dev ready at %s in %.1fs%n", stack.address(),
                (System.nanoTime() - t0) / 1e9);
        client = stack.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (stack != null) {
            stack.close();
        }
        System.out.println("Crash test timings (kill -9 of worker #1 -> workflow completed on worker #2):");
        TIMINGS.forEach(System.out::println);
    }

    /** Unhealthy but running, no init: every container's stop waits the 6s stop timeout, so restart is slow. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringRestart() throws Exception {
        ServiceRecoveryReport report = crash(new Case("restart", new SandboxService.Options(0, false), "6s", "Restart",
                sandbox -> sandbox.breakHealth("roma")));
        assertTrue(report.summary().contains("Recovered by restart"), report.summary());
    }

    /** A slow start (6s before the container serves) after the restart of a killed container. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringWaitHealthy() throws Exception {
        ServiceRecoveryReport report = crash(new Case("wait-healthy", new SandboxService.Options(6, true), "6s",
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
        ServiceRecoveryReport report = crash(
                new Case("recreate", new SandboxService.Options(0, false), "6s", "Recreate",
                        sandbox -> {
                            sandbox.remove("roma-api");
                            docker.pauseContainerCmd(sandbox.containerId("roma")).exec();
                        }));
        assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("restart")
                && s.outcome() == StepOutcome.SKIPPED), timeline(report));
    }

    /**
     * Killed inside the watch window, which is one heartbeating activity: the new worker takes the activity over
     * after its heartbeat timeout, continues the first attempt's window from the heartbeat details and finishes.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killDuringWatchWindow() throws Exception {
        ServiceRecoveryReport report = crash(new Case("watch", SandboxService.Options.defaults(), "6s", "Watch",
                sandbox -> sandbox.kill("roma")));
        StepRecord watch = report.timeline().stream().filter(s -> s.step().equals("watch")).findFirst()
                .orElseThrow(() -> new AssertionError("no watch step: " + timeline(report)));
        assertEquals(StepOutcome.OK, watch.outcome(), timeline(report));
    }

    // ---- a dead worker is not a failed step ----------------------------------------------------------------------

    /**
     * roma exited, roma-api healthy. The worker dies four times inside the restart step (each time while its
     * restart request is held at the {@link DockerGate}): three lost attempts spend the activity's retries, the
     * workflow calls the step again, the fourth death costs one more attempt. Docker's own events must show one
     * restart of roma and nothing at all done to roma-api, and no recreate.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void deadWorkersInTheRestartStep() throws Exception {
        deadWorkers("restart", "Restart", "^POST /(v[0-9.]+/)?containers/[^/]+/restart", 4,
                SandboxService.Options.defaults());
    }

    /**
     * Two deaths while assess waits on the engine's container listing: no wider set of containers, the same single
     * restart. Assess runs in the workflow task (a local activity), so each death is a workflow task that times out
     * and the next worker runs the step again from the start.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void deadWorkersInTheAssessStep() throws Exception {
        deadWorkers("assess", "Assess", "^GET /(v[0-9.]+/)?containers/json", 2, SandboxService.Options.defaults());
    }

    /**
     * Two deaths while verify runs its exec smoke check (in the workflow task, as assess): no escalation to
     * recreate after the restart.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void deadWorkersInTheVerifyStep() throws Exception {
        deadWorkers("verify", "Check", "^POST /(v[0-9.]+/)?containers/[^/]+/exec", 2,
                SandboxService.Options.defaults());
    }

    /**
     * Three deaths while wait-healthy waits for a slow start (roma serves 35 s after its restart): the lost attempts
     * are no verdict on the restart, so no recreate. No gate: the kill lands 1 s after the server shows each new
     * attempt STARTED.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void deadWorkersInTheWaitHealthyStep() throws Exception {
        deadWorkers("wait-healthy", "WaitHealthy", null, 3, new SandboxService.Options(35, true));
    }

    /**
     * @param hold the engine request the gate holds so each kill lands inside the step; null: kill when the server
     *             shows the step's next attempt STARTED (for a step that waits without the engine)
     */
    private void deadWorkers(String step, String activityType, String hold, int deaths,
            SandboxService.Options options) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "dead-" + step + "-" + id;
        Path dir = ROOT.resolve(name);
        Path plans = dir.resolve("plans");
        Files.createDirectories(plans);
        String taskQueue = "roma-dr-" + name;
        SandboxService sandbox = null;
        List<WorkerProcess> workers = new ArrayList<>();
        try (DockerGate gate = DockerGate.start(DockerGate.engineSocket())) {
            sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE, options);
            Files.writeString(plans.resolve(name + ".yaml"),
                    sandbox.planYaml(name, "5m", "60s", "250ms", "2s", "0s", "1s"));
            sandbox.kill("roma");
            EngineEventRecorder recorder = EngineEventRecorder.start(docker, sandbox.composeProject());
            java.util.Map<String, String> environment = java.util.Map.of("DOCKER_HOST", gate.dockerHost());
            if (hold != null) {
                gate.hold(hold);
            }
            workers.add(WorkerProcess.start("worker-1", dir, stack.address(), taskQueue, plans, environment));

            ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(name)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            long started = System.nanoTime();
            WorkflowClient.start(workflow::recover, new ServiceRecoveryRequest(name, "crash test", "WorkerCrashTest"));
            for (int death = 1; death <= deaths; death++) {
                WorkerProcess worker = workers.get(workers.size() - 1);
                if (hold != null) {
                    awaitHeld(gate, workflow, worker, step);
                } else {
                    awaitKillPoint(workflow, name, new Case(step, options, "2s", activityType, null), worker,
                            death);
                }
                worker.kill9();
                assertFalse(worker.isAlive(), worker + " still alive after SIGKILL");
                workers.add(WorkerProcess.start("worker-" + (death + 1), dir, stack.address(), taskQueue, plans,
                        environment));
            }
            // Every held request of a dead worker must be dropped before the gate opens: none reaches the engine.
            int expectedDrops = hold == null ? 0 : deaths;
            // A step in the workflow task can hold more than one request per worker: the step's own timeout runs it
            // again on the same worker while its first request is held, and assess lists every service at once.
            boolean inTask = IN_TASK.contains(activityType);
            poll(() -> inTask
                    ? gate.dropped().size() >= expectedDrops
                    : gate.dropped().size() == expectedDrops && gate.waiting() <= 1, Duration.ofSeconds(20),
                    () -> "held requests of dead workers not dropped: " + gate);
            gate.release();

            ServiceRecoveryReport report = WorkflowStub.fromTyped(workflow)
                    .getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS, ServiceRecoveryReport.class);
            java.util.Map<String, List<String>> events = recorder.byService();
            recorder.close();
            String timing = String.format(Locale.ROOT, "  %-13s %d kill -9 in the step; workflow completed in %.1fs",
                    step, deaths, (System.nanoTime() - started) / 1e9);
            TIMINGS.add(timing);
            System.out.println(name + ":" + timing.trim());
            System.out.println(timeline(report));

            assertEquals(Outcome.RECOVERED, report.outcome(), report.summary() + "\n" + timeline(report));
            assertTrue(report.summary().startsWith("Recovered by restart"), timeline(report));
            assertTrue(report.timeline().stream().noneMatch(s -> s.step().equals("recreate")), timeline(report));
            StepRecord killed = report.timeline().stream().filter(s -> s.step().equals(step)).findFirst()
                    .orElseThrow(() -> new AssertionError("no step " + step + ":\n" + timeline(report)));
            assertEquals(StepOutcome.OK, killed.outcome(), timeline(report));
            if (inTask) {
                // A step run in the workflow task: each death timed out the workflow task that ran it, and the next
                // worker ran it again from the start; the history records it once, by the worker that finished it.
                var history = client.fetchHistory(name).getEvents();
                long timedOut = history.stream().filter(
                        e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)
                        .count();
                assertTrue(timedOut >= deaths, timedOut + " workflow task timeouts for " + deaths + " deaths");
                long markers = history.stream().filter(e -> e.hasMarkerRecordedEventAttributes()
                        && e.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")
                        && e.getMarkerRecordedEventAttributes().getDetailsOrThrow("type").getPayloads(0).getData()
                                .toStringUtf8().equals("\"" + activityType + "\""))
                        .count();
                assertEquals(1, markers, activityType + " recorded once");
                assertEquals(0, attempts(name, activityType)[0], activityType + " is never an activity task");
                assertEquals(1, killed.attempts(), timeline(report));
                assertTrue(gate.dropped().size() >= expectedDrops, gate.toString());
            } else {
                // Attempts as the server's history has them: every lost attempt and the one that finished.
                int[] seen = attempts(name, activityType);
                assertEquals(2, seen[0], activityType + " should be scheduled twice (called again once)");
                assertEquals(seen[1], killed.attempts(), timeline(report));
                assertEquals(deaths + 1, killed.attempts(), timeline(report));
                assertEquals(expectedDrops, gate.dropped().size(), gate.toString());
            }
            for (String service : sandbox.services()) {
                assertEquals(200, status(sandbox.healthUrl(service)), service + " " + sandbox.healthUrl(service));
            }

            // The engine's own account of what was done to the two containers.
            List<String> roma = events.getOrDefault("roma", List.of());
            List<String> api = events.getOrDefault("roma-api", List.of());
            assertEquals(1, roma.stream().filter(a -> a.equals("restart")).count(), "roma: " + roma);
            assertTrue(roma.stream().noneMatch(a -> a.equals("create") || a.equals("destroy")), "roma: " + roma);
            assertTrue(api.stream().noneMatch(a -> List.of("stop", "kill", "restart", "die", "destroy", "start",
                    "create", "pause").contains(a)), "roma-api must be untouched: " + api);
        } finally {
            for (WorkerProcess w : workers) {
                w.close();
            }
            if (sandbox != null) {
                sandbox.destroy();
            }
        }
    }

    /** Waits until a request of the step is held at the gate while the workflow says it is in that step. */
    private static void awaitHeld(DockerGate gate, ServiceRecoveryWorkflow workflow, WorkerProcess worker,
            String step) {
        long deadline = System.nanoTime() + KILL_POINT_TIMEOUT.toNanos();
        while (true) {
            if (!worker.isAlive()) {
                fail("worker exited before the kill point; its log " + worker.logFile() + ":\n"
                        + worker.logTail());
            }
            Progress p = workflow.progress();
            if (p.outcome() != Outcome.RUNNING) {
                fail("the workflow finished (" + p.outcome() + ") while the test was killing workers in " + step
                        + ": " + p.timeline());
            }
            if (gate.waiting() > 0 && step.equals(p.currentStep())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("no request of step " + step + " held within " + KILL_POINT_TIMEOUT + "; step "
                        + p.currentStep() + ", " + gate);
            }
            worker.waitForExit(50);
        }
    }

    /** Until {@code done}, or fail with {@code why} after {@code timeout}: {@link EmbeddedStack#eventually}. */
    static void poll(java.util.function.BooleanSupplier done, Duration timeout,
            java.util.function.Supplier<String> why) {
        EmbeddedStack.eventually(timeout, () -> done.getAsBoolean() ? true : null, why);
    }

    /** {scheduled, attempts}: each ActivityTaskStarted event carries the attempt that ended its call. */
    private static int[] attempts(String workflowId, String activityType) {
        var history = client.fetchHistory(workflowId);
        java.util.Map<Long, String> types = new java.util.HashMap<>();
        int scheduled = 0;
        int attempts = 0;
        for (var e : history.getEvents()) {
            if (e.hasActivityTaskScheduledEventAttributes()) {
                String type = e.getActivityTaskScheduledEventAttributes().getActivityType().getName();
                types.put(e.getEventId(), type);
                scheduled += type.equals(activityType) ? 1 : 0;
            } else if (e.hasActivityTaskStartedEventAttributes()) {
                var a = e.getActivityTaskStartedEventAttributes();
                attempts += activityType.equals(types.get(a.getScheduledEventId())) ? a.getAttempt() : 0;
            }
        }
        return new int[]{scheduled, attempts};
    }

    /**
     * @param killStep     the progress query's current step at which worker #1 is killed
     * @param activityType the activity that must be STARTED on worker #1 at the kill; null: none may be pending
     */
    record Case(String killStep, SandboxService.Options options, String stopTimeout, String activityType,
            Consumer<SandboxService> fault) {
    }

    private ServiceRecoveryReport crash(Case c) throws Exception {
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
            first = WorkerProcess.start("worker-1", dir, stack.address(), taskQueue, plans);
            c.fault().accept(sandbox);

            String workflowId = name;
            ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(workflowId)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            long started = System.nanoTime();
            WorkflowClient.start(workflow::recover, new ServiceRecoveryRequest(name, "crash test", "WorkerCrashTest"));

            Progress atKill = awaitKillPoint(workflow, workflowId, c, first, 1);
            long killAt = System.nanoTime();
            first.kill9();
            long killed = System.nanoTime();
            assertFalse(first.isAlive(), "worker #1 still alive after SIGKILL");
            second = WorkerProcess.start("worker-2", dir, stack.address(), taskQueue, plans);
            long secondUp = System.nanoTime();

            ServiceRecoveryReport report = WorkflowStub.fromTyped(workflow)
                    .getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS, ServiceRecoveryReport.class);
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
            assertTrue(second.isAlive(), "worker #2 died: " + second.logFile());
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
     * Polls the progress query (and the server's pending activities) until the workflow is inside the kill step with
     * its activity's {@code attempt} STARTED on {@code first} (the live worker), with a deadline. Between polls it
     * waits on that worker's exit, so a worker that dies is seen at once.
     */
    private Progress awaitKillPoint(ServiceRecoveryWorkflow workflow, String workflowId, Case c, WorkerProcess first,
            int attempt) {
        long deadline = System.nanoTime() + KILL_POINT_TIMEOUT.toNanos();
        long insideSince = 0;
        String last = "";
        while (true) {
            if (!first.isAlive()) {
                fail("worker #1 exited before the kill point; its log " + first.logFile() + ":\n"
                        + first.logTail());
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
                inside = c.killStep().equals(p.currentStep()) && pending.stream()
                        .anyMatch(a -> a.getActivityType().getName().equals(c.activityType())
                                && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                                && a.getAttempt() == attempt);
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
            first.waitForExit(50);
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

    static String timeline(ServiceRecoveryReport r) {
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
