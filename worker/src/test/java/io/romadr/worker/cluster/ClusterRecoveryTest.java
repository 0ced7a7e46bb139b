package io.romadr.worker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.crash.DockerGate;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * roma-dr on a production-shaped Temporal cluster: the Temporal server built from its Go module with PostgreSQL
 * persistence and visibility ({@link TemporalServerProcess}, {@link PostgresDatabases}), three worker JVMs on one
 * task queue, Scenario 1 recoveries of five plans at once (each a real busybox-httpd sandbox service whose
 * {@code roma} container was killed). A {@link DockerGate} between the workers and the Docker engine holds every
 * container restart, so the two faults land inside the {@code restart} step, deterministically:
 *
 * <ol>
 * <li>one worker is SIGKILLed while it holds restarts; the server notices the missing heartbeats and another worker
 * takes those steps over (the history's completing identity is not the killed worker's);
 * <li>the Temporal server is restarted while all five restarts are held; the workers reconnect by themselves and
 * every recovery finishes RECOVERED, its history intact (started before the restart, completed after it).
 * </ol>
 *
 * It prints each phase with its time ({@code cluster test +12.3s ...}) and a summary line ({@code == cluster: ...})
 * with the server version, the database, the worker count, the recoveries per worker (the worker that ran each
 * recovery's restart step first) and the activities per worker (completed activity tasks in the histories), who
 * finished the killed worker's steps and the restart's outcome. Missing PostgreSQL, Go
 * tools or Docker engine fail it with the fix; it is never skipped.
 */
@Tag("integration")
class ClusterRecoveryTest {
    static final int PLANS = 5;
    static final int WORKERS = 3;
    static final String STEP = "restart";
    static final String STEP_ACTIVITY = "Restart";
    /** The engine request of the restart step (the path may carry an API version). */
    static final String HOLD_RESTART = "^POST /(v[0-9.]+/)?containers/[^/]+/restart";
    static final Duration HELD_TIMEOUT = Duration.ofSeconds(90);
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(2);
    /** Workers resume polling by themselves; the SDK backs failed polls off for up to a minute each. */
    static final Duration RECONNECT_TIMEOUT = Duration.ofMinutes(2);
    static final Path ROOT = Path.of("target", "cluster-test");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void recoveriesSpreadOverThreeWorkersSurviveAKilledWorkerAndAServerRestart() throws Exception {
        long t0 = System.nanoTime();
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path dir = ROOT.resolve("cluster-" + id).toAbsolutePath();
        Path plans = dir.resolve("plans");
        Files.createDirectories(plans);
        String taskQueue = "roma-dr-cluster-" + id;
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        // the sandboxes are made while PostgreSQL and the server come up: the workers need both
        Map<String, SandboxService> sandboxes = new ConcurrentSkipListMap<>();
        CompletableFuture<Void> sandboxesUp = CompletableFuture
                .runAsync(() -> createSandboxes(docker, "cluster-" + id, plans, sandboxes));
        Timings timings = new Timings(t0);
        try (PostgresDatabases dbs = PostgresDatabases.create("cluster", dir);
                TemporalServerProcess server = TemporalServerProcess.start(dir.resolve("server"),
                        new TemporalServerProcess.Postgres(dbs));
                DockerGate gate = DockerGate.start(DockerGate.engineSocket())) {
            timings.mark("PostgreSQL databases and Temporal server ready");
            String version = server.version();
            sandboxesUp.join();
            timings.mark(PLANS + " sandbox services up");

            gate.hold(HOLD_RESTART);
            try (ClusterWorkers workers = ClusterWorkers.start(WORKERS, dir, server.address(), taskQueue, plans,
                    Map.of("DOCKER_HOST", gate.dockerHost()))) {
                timings.mark(WORKERS + " workers polling: " + workers.describe());

                WorkflowClient client = WorkflowClient.newInstance(server.service(),
                        WorkflowClientOptions.newBuilder().setNamespace(TemporalServerProcess.NAMESPACE).build());
                Map<String, ServiceRecoveryWorkflow> recoveries = new LinkedHashMap<>();
                for (var s : sandboxes.entrySet()) {
                    s.getValue().kill("roma");
                    ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(s.getKey())
                                    .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
                    WorkflowClient.start(workflow::recover,
                            new ServiceRecoveryRequest(s.getKey(), "cluster test", "ClusterRecoveryTest"));
                    recoveries.put(s.getKey(), workflow);
                }

                // 1. Every recovery inside its restart step, its engine request held at the gate: who runs which.
                Map<String, String> takenBy = awaitAllHeld(server, gate, workers, recoveries.keySet(), Set.of());
                timings.mark("all " + PLANS + " recoveries held in step '" + STEP + "'");
                Map<String, Long> recoveriesPerWorker = perWorker(workers, takenBy.values());
                // the victim: the worker running the most steps (the first such by name)
                String victim = recoveriesPerWorker.keySet().stream()
                        .filter(w -> recoveriesPerWorker.get(w).equals(Collections.max(recoveriesPerWorker.values())))
                        .findFirst().orElseThrow();
                List<String> victimPlans = takenBy.entrySet().stream().filter(e -> e.getValue().equals(victim))
                        .map(Map.Entry::getKey).toList();

                // 2. SIGKILL it mid-step: its held requests never reach the engine; others take the steps over.
                workers.process(victim).kill9();
                assertFalse(workers.process(victim).isAlive(), victim + " still alive after SIGKILL");
                timings.mark("worker " + victim + " killed mid-step (plans " + victimPlans + ")");
                EmbeddedStack.eventually(Duration.ofSeconds(20), () -> gate.dropped().size() >= victimPlans.size()
                        ? true
                        : null, () -> "the killed worker's held requests were not dropped: " + gate);
                Map<String, String> retakenBy = awaitAllHeld(server, gate, workers, recoveries.keySet(),
                        Set.copyOf(victimPlans));
                for (String plan : victimPlans) {
                    assertNotEquals(victim, retakenBy.get(plan), plan + " is still on the killed worker");
                }
                timings.mark("the killed worker's steps held again on " + victimPlans.stream().map(retakenBy::get)
                        .distinct().sorted().toList());

                // 3. Restart the Temporal server while all five restarts are held, then let the engine answer.
                Instant restartAt = Instant.now();
                server.restart();
                Instant restartedAt = Instant.now();
                timings.mark("Temporal server restarted (" + Duration.between(restartAt, restartedAt).toMillis()
                        + " ms down)");
                gate.release();
                List<String> survivors = workers.alive();
                Set<String> reconnected = awaitPollers(server, taskQueue, workers, survivors);
                timings.mark("workers " + reconnected + " polling the restarted server");

                Map<String, ServiceRecoveryReport> reports = new LinkedHashMap<>();
                for (var r : recoveries.entrySet()) {
                    reports.put(r.getKey(), WorkflowStub.fromTyped(r.getValue()).getResult(RESULT_TIMEOUT.toSeconds(),
                            TimeUnit.SECONDS, ServiceRecoveryReport.class));
                }
                timings.mark("all " + PLANS + " recoveries completed");

                // 4. What the server's histories say.
                Map<String, RecoveryHistory> histories = new LinkedHashMap<>();
                for (String plan : recoveries.keySet()) {
                    histories.put(plan, RecoveryHistory.of(plan, client.fetchHistory(plan)));
                }
                Map<String, String> finishedBy = new TreeMap<>();
                Map<String, RecoveryHistory.Task> finishingStep = new TreeMap<>();
                for (String plan : victimPlans) {
                    RecoveryHistory.Task step = histories.get(plan).completedActivity(STEP_ACTIVITY);
                    finishingStep.put(plan, step);
                    finishedBy.put(plan, Objects.requireNonNullElse(workers.nameOf(step.identity()), "?"));
                }
                Map<String, Long> activitiesPerWorker = perWorker(workers, histories.values().stream()
                        .flatMap(h -> h.tasks().stream()).filter(t -> !t.type().equals(RecoveryHistory.WORKFLOW_TASK))
                        .map(t -> workers.nameOf(t.identity())).toList());
                System.out.printf(Locale.ROOT,
                        "== cluster: Temporal %s, %s, %d workers, recoveries per worker %s (activities per worker %s),"
                                + " worker %s killed mid-step '%s' of plan%s %s: finished by %s, server restarted"
                                + " mid-recovery (%d held in '%s'): %d/%d RECOVERED after it, workers reconnected %s,"
                                + " %.1fs in all%n",
                        version, server.database(), WORKERS, recoveriesPerWorker, activitiesPerWorker, victim, STEP,
                        victimPlans.size() > 1 ? "s" : "", String.join(", ", victimPlans), finishedBy, PLANS, STEP,
                        reports.values().stream().filter(r -> r.outcome() == Outcome.RECOVERED).count(), PLANS,
                        reconnected, (System.nanoTime() - t0) / 1e9);

                // 5. The summary's facts.
                assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
                assertTrue(server.database().startsWith("PostgreSQL (postgres12)"), server.database());
                for (var f : finishingStep.entrySet()) {
                    String finisher = finishedBy.get(f.getKey());
                    assertTrue(survivors.contains(finisher), "the " + STEP + " step of " + f.getKey()
                            + " was not completed by a surviving worker of this cluster: " + f.getValue());
                    assertNotEquals(victim, finisher, f.getKey() + ": " + f.getValue());
                    assertTrue(f.getValue().attempt() >= 2, "the killed attempt should be retried: " + f.getValue());
                }
                for (var r : reports.entrySet()) {
                    SandboxService sandbox = sandboxes.get(r.getKey());
                    RecoveryHistory h = histories.get(r.getKey());
                    assertEquals(Outcome.RECOVERED, r.getValue().outcome(), r.getKey() + ": " + r.getValue().summary());
                    for (String service : sandbox.services()) {
                        assertEquals(200, status(sandbox.healthUrl(service)), r.getKey() + " " + service);
                    }
                    assertNotNull(h.completed(), r.getKey() + " has no completion in its history");
                    assertTrue(h.started().isBefore(restartAt), r.getKey() + " started " + h.started());
                    assertTrue(h.completed().isAfter(restartedAt), r.getKey() + " completed " + h.completed());
                    // after the restart only the live workers completed tasks, each a worker of this cluster
                    for (RecoveryHistory.Task t : h.tasks()) {
                        if (t.at().isAfter(restartedAt)) {
                            assertTrue(survivors.contains(workers.nameOf(t.identity())), r.getKey() + ": " + t);
                        }
                    }
                }
                long workersThatWorked = recoveriesPerWorker.entrySet().stream()
                        .filter(e -> e.getValue() > 0 || activitiesPerWorker.getOrDefault(e.getKey(), 0L) > 0).count();
                assertTrue(workersThatWorked > 1, "one worker did all the work: " + recoveriesPerWorker + " "
                        + activitiesPerWorker);
                assertEquals(WORKERS - 1, survivors.size(), "workers alive: " + survivors);
            }
        } finally {
            sandboxesUp.exceptionally(e -> null).join(); // none left behind by a failed start
            sandboxes.values().parallelStream().forEach(SandboxService::destroy);
        }
    }

    /** {@code <prefix>-1} ... : a sandbox service each, and its plan in {@code plans}. */
    private static void createSandboxes(DockerClient docker, String prefix, Path plans,
            Map<String, SandboxService> sandboxes) {
        for (int i = 1; i <= PLANS; i++) {
            String plan = prefix + "-" + i;
            SandboxService sandbox = SandboxService.create(docker, "romadr-" + plan, SandboxImage.DEFAULT_IMAGE,
                    SandboxService.Options.defaults());
            sandboxes.put(plan, sandbox);
            try {
                Files.writeString(plans.resolve(plan + ".yaml"),
                        sandbox.planYaml(plan, "5m", "60s", "250ms", "2s", "0s", "1s"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Waits until every recovery has its restart step STARTED on a live worker of the cluster (attempt 2 or later
     * for the {@code retried} ones) and the gate holds one request per recovery. Returns who runs each (plan to
     * worker name), from the server's pending activities.
     */
    private static Map<String, String> awaitAllHeld(TemporalServerProcess server, DockerGate gate,
            ClusterWorkers workers, Set<String> plans, Set<String> retried) {
        String[] last = {""};
        return EmbeddedStack.eventually(HELD_TIMEOUT, () -> {
            Map<String, String> runs = new TreeMap<>();
            List<String> seen = new ArrayList<>();
            for (String plan : plans) {
                Optional<PendingActivityInfo> step = pendingStep(server, plan);
                seen.add(plan + "=" + step.map(a -> a.getState() + "/attempt " + a.getAttempt() + "/"
                        + a.getLastWorkerIdentity()).orElse("none"));
                String worker = step.filter(a -> a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
                        .map(a -> workers.nameOf(a.getLastWorkerIdentity())).orElse(null);
                if (worker != null && workers.process(worker).isAlive()
                        && (!retried.contains(plan) || step.get().getAttempt() >= 2)) {
                    runs.put(plan, worker);
                }
            }
            last[0] = seen + " " + gate;
            // at least: a starved worker's attempt may have timed out while its request is still held
            return runs.size() == plans.size() && gate.waiting() >= plans.size() ? runs : null;
        }, () -> "not every recovery held in step '" + STEP + "' on a live worker: " + last[0]);
    }

    private static Optional<PendingActivityInfo> pendingStep(TemporalServerProcess server, String workflowId) {
        return server.service().blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporalServerProcess.NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getPendingActivitiesList().stream()
                .filter(a -> a.getActivityType().getName().equals(STEP_ACTIVITY)).findFirst();
    }

    /** Waits until every live worker polls the task queue's activities on the (restarted) server. */
    private static Set<String> awaitPollers(TemporalServerProcess server, String taskQueue, ClusterWorkers workers,
            List<String> expected) {
        String[] last = {""};
        return EmbeddedStack.eventually(RECONNECT_TIMEOUT, () -> {
            List<PollerInfo> pollers = server.service().blockingStub().withDeadlineAfter(5, TimeUnit.SECONDS)
                    .describeTaskQueue(DescribeTaskQueueRequest.newBuilder()
                            .setNamespace(TemporalServerProcess.NAMESPACE)
                            .setTaskQueue(TaskQueue.newBuilder().setName(taskQueue))
                            .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY).build())
                    .getPollersList();
            Set<String> names = pollers.stream().map(p -> workers.nameOf(p.getIdentity()))
                    .filter(java.util.Objects::nonNull).collect(Collectors.toCollection(java.util.TreeSet::new));
            last[0] = pollers.stream().map(PollerInfo::getIdentity).toList().toString();
            return names.containsAll(expected) ? names : null;
        }, () -> "the workers " + expected + " do not poll the restarted server; pollers: " + last[0]);
    }

    /** How many of {@code names} each worker has, every worker listed (0 for none). */
    private static Map<String, Long> perWorker(ClusterWorkers workers, java.util.Collection<String> names) {
        Map<String, Long> counts = new TreeMap<>();
        workers.names().forEach(w -> counts.put(w, 0L));
        names.forEach(n -> counts.merge(n == null ? "?" : n, 1L, Long::sum));
        return counts;
    }

    static int status(String url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Prints each phase's time since the start as it is reached (the cluster test's figures). */
    private static final class Timings {
        private final long t0;

        Timings(long t0) {
            this.t0 = t0;
        }

        void mark(String what) {
            System.out.printf(Locale.ROOT, "cluster test +%5.1fs %s%n", (System.nanoTime() - t0) / 1e9, what);
        }
    }
}
