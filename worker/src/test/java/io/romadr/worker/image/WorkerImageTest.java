package io.romadr.worker.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker image as an operator runs it: built by {@code deploy/image/build} (a failure to build fails the test),
 * then {@code docker run} with a read-only root file system, a tmpfs /tmp, the plans mounted read-only, the state
 * volume and the Docker socket, against the Go-built Temporal server on this host. It must run as uid 10001, become
 * {@code healthy} by its own HEALTHCHECK, run a Scenario 1 recovery of a sandbox service to RECOVERED and have written
 * nothing outside /tmp and the volume. Then {@code docker stop} while the worker is inside the restart step (a
 * container restart that waits out a 6 s stop timeout): the host stops polling, the step's heartbeating activity is
 * told of the shutdown, and the container exits with 143 (the JVM's answer to SIGTERM after its shutdown hooks ran;
 * 137 would mean the stop timeout ran out and Docker SIGKILLed it) and the host's stopped line; a second container on
 * the same volume retries the step and finishes the recovery.
 */
@Tag("integration")
class WorkerImageTest {
    static final String IMAGE = "roma-dr/worker:0.1.0";
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path ROOT = Path.of("target", "image-test").toAbsolutePath();
    /** A cold build (debootstrap) on a loaded 2-core machine; the jar is the one this Maven run packaged. */
    static final Duration BUILD_DEADLINE = Duration.ofMinutes(20);
    static final Duration HEALTHY_DEADLINE = Duration.ofMinutes(3);
    static final Duration RECOVERY_DEADLINE = Duration.ofMinutes(3);
    /** More than the host's 30 s wait for running activities (docs/deploy-image.md). */
    static final int STOP_TIMEOUT_SECONDS = 45;
    static final Duration CLI = Duration.ofMinutes(1);
    static final String STOPPING_LINE = "roma-dr worker stopping";
    static final String STOPPED_LINE = "roma-dr worker stopped";
    /** The one change `docker diff` shows that is the engine's own: the socket's mount point (/var/run is /run). */
    static final List<String> SOCKET_MOUNT_POINT = List.of("C /run", "A /run/docker.sock");
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void theImageRunsRecoveriesReadOnlyAsItsUserAndDrainsOnStop() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path dir = ROOT.resolve(id);
        Files.createDirectories(dir);
        buildImage(dir);

        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String name = "romadr-image-" + id;
        String volume = name + "-state";
        SandboxService sandbox = null;
        List<String> containers = new ArrayList<>();
        try (TemporalServerProcess server = TemporalServerProcess.start(dir.resolve("temporal"),
                new TemporalServerProcess.SqliteInMemory())) {
            try {
                // no init: a restart of the sandbox waits out the plan's 6 s stop timeout (the drain's activity)
                sandbox = SandboxService.create(docker, name, SandboxImage.DEFAULT_IMAGE,
                        new SandboxService.Options(0, false));
                Path plans = writePlan(dir, sandbox);
                Map<String, String> env = Map.of(
                        "TEMPORAL_ADDRESS", server.address(),
                        "TEMPORAL_NAMESPACE", TemporalServerProcess.NAMESPACE,
                        "ROMA_DR_TASK_QUEUE", "roma-dr-" + name);
                WorkflowClient client = WorkflowClient.newInstance(server.service(),
                        RomaClientOptions.of(TemporalServerProcess.NAMESPACE));

                String first = name + "-1";
                containers.add(first);
                int adminPort = run(dir, first, plans, volume, env);
                System.out.println(first + ": " + awaitHealthy(dir, first) + "; /healthcheck: " + get(adminPort));
                assertEquals(List.of("10001", "10001"), uidsOfContainerProcesses(dir, first),
                        "uids of tini (PID 1) and the JVM");

                sandbox.kill("roma");
                ServiceRecoveryReport killed = result(start(client, name + "-killed", env));
                assertEquals(Outcome.RECOVERED, killed.outcome(), killed.summary());
                for (String service : sandbox.services()) {
                    assertEquals(200, status(sandbox.healthUrl(service)), service + " " + sandbox.healthUrl(service));
                }
                assertWritesOnlyToTmpAndTheVolume(dir, first);

                // docker stop inside the restart step: polling stops, the step's activity (it heartbeats while it
                // waits on the engine) is told of the shutdown at its next heartbeat, the host exits well within the
                // stop timeout, and the next worker retries the step (activities are idempotent)
                sandbox.breakHealth("roma");
                String drained = name + "-drain";
                ServiceRecoveryWorkflow workflow = start(client, drained, env);
                awaitActivityStarted(client, workflow, drained, "restart", "Restart");
                double seconds = stop(dir, first);
                System.out.printf(Locale.ROOT, "%s: docker stop inside the restart step took %.1fs%n", first, seconds);

                String second = name + "-2";
                containers.add(second);
                run(dir, second, plans, volume, env);
                ServiceRecoveryReport report = result(workflow);
                assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());
                assertTrue(report.summary().startsWith("Recovered by restart"), report.summary());
                StepRecord restart = report.timeline().stream().filter(r -> r.step().equals("restart")).findFirst()
                        .orElseThrow(() -> new AssertionError("no restart step: " + report.timeline()));
                assertEquals(StepOutcome.OK, restart.outcome(), report.timeline().toString());
                assertTrue(restart.attempts() >= 2, "the stopped worker's attempt and the retry: " + restart);
                stop(dir, second);
            } finally {
                // before the server stops, so each log ends as its container ended
                for (String c : containers) {
                    System.out.println(c + " log (tail):\n" + tail(logs(dir, c), 12));
                    docker(dir, List.of("rm", "--force", c));
                }
            }
        } finally {
            docker(dir, List.of("volume", "rm", "--force", volume));
            if (sandbox != null) {
                sandbox.destroy();
            }
        }
    }

    private static void buildImage(Path dir) {
        long t0 = System.nanoTime();
        CliCommand.Result build = CliCommand.run(dir.resolve("build"), BUILD_DEADLINE,
                List.of(REPO.resolve("deploy/image/build").toString(), "--no-jar"));
        build.orFail();
        System.out.printf(Locale.ROOT, "deploy/image/build --no-jar in %.1fs:%n%s%n", (System.nanoTime() - t0) / 1e9,
                build.stdout());
        assertEquals("10001:10001", inspectImage(dir, "{{.Config.User}}"));
        assertEquals("SIGTERM", inspectImage(dir, "{{.Config.StopSignal}}"));
        assertTrue(inspectImage(dir, "{{json .Config.Healthcheck}}").contains("/healthcheck"));
    }

    /** The plan, readable by uid 10001 (the test's directories are root's). */
    private static Path writePlan(Path dir, SandboxService sandbox) throws IOException {
        Path plans = dir.resolve("plans");
        Files.createDirectories(plans);
        Files.writeString(plans.resolve("roma.yaml"),
                sandbox.planYaml("roma", "5m", "60s", "250ms", "6s", "2s", "500ms"));
        Files.setPosixFilePermissions(plans, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(plans.resolve("roma.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
        return plans;
    }

    /**
     * {@code docker run} as docs/deploy-image.md has it, on the host's network (the Temporal server listens on
     * 127.0.0.1) with ports of its own (other tests run on this host too). Returns the admin port.
     */
    private static int run(Path dir, String name, Path plans, String volume, Map<String, String> env)
            throws IOException {
        int adminPort = LocalServerProcess.freePort();
        List<String> run = new ArrayList<>(List.of("run", "--detach", "--name", name,
                "--read-only", "--tmpfs", "/tmp",
                "--network", "host",
                "--memory", "1g", // the image's JAVA_TOOL_OPTIONS size the heap from it
                "--stop-timeout", String.valueOf(STOP_TIMEOUT_SECONDS),
                "-v", plans + ":/etc/roma-dr/plans:ro",
                "-v", volume + ":/var/lib/roma-dr",
                "-v", "/var/run/docker.sock:/var/run/docker.sock",
                "--group-add", dockerSocketGroup(),
                "-e", "ROMA_DR_BIND=127.0.0.1", "-e", "ROMA_DR_PORT=" + LocalServerProcess.freePort(),
                "-e", "ROMA_DR_ADMIN_BIND=127.0.0.1", "-e", "ROMA_DR_ADMIN_PORT=" + adminPort));
        env.forEach((k, v) -> run.addAll(List.of("-e", k + "=" + v)));
        run.add(IMAGE);
        docker(dir, run).orFail();
        return adminPort;
    }

    /** Polls the container's own health status (its HEALTHCHECK) until healthy; fails fast if it exits. */
    private static String awaitHealthy(Path dir, String name) {
        return EmbeddedStack.eventually(HEALTHY_DEADLINE, () -> {
            String state = docker(dir, List.of("inspect", "-f", "{{.State.Status}} {{.State.Health.Status}}", name))
                    .orFail().stdout();
            if (!state.startsWith("running")) {
                throw new AssertionError(name + " is " + state + "; its log:\n" + logs(dir, name));
            }
            return state.endsWith(" healthy") ? state : null;
        }, () -> name + " not healthy; last probes: " + docker(dir, List.of("inspect", "-f",
                "{{json .State.Health}}", name)).stdout() + "\nits log:\n" + logs(dir, name));
    }

    /**
     * The real uid of PID 1 (tini) and of its child (the JVM), read from this host's /proc: not what the image
     * declares but what the kernel runs.
     */
    private static List<String> uidsOfContainerProcesses(Path dir, String name) throws IOException {
        long pid = Long.parseLong(docker(dir, List.of("inspect", "-f", "{{.State.Pid}}", name)).orFail().stdout());
        List<String> uids = new ArrayList<>(List.of(uid(pid)));
        ProcessHandle tini = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        List<ProcessHandle> children = tini.children().toList();
        assertEquals(1, children.size(), "children of tini: " + children);
        String cmdline = Files.readString(Path.of("/proc", String.valueOf(children.get(0).pid()), "cmdline"));
        assertTrue(cmdline.contains("/opt/roma-dr/roma-dr-worker.jar"), cmdline);
        uids.add(uid(children.get(0).pid()));
        return uids;
    }

    private static String uid(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
    }

    /** Read-only root: nothing was written outside /tmp and the volume, and nothing can be. */
    private static void assertWritesOnlyToTmpAndTheVolume(Path dir, String name) {
        List<String> changed = docker(dir, List.of("diff", name)).orFail().stdout().lines()
                .filter(l -> !SOCKET_MOUNT_POINT.contains(l)).toList();
        assertEquals(List.of(), changed, "docker diff " + name);
        CliCommand.Result denied = docker(dir, List.of("exec", name, "touch", "/opt/roma-dr/probe"));
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().contains("Read-only file system"), denied.stderr());
        docker(dir, List.of("exec", name, "touch", "/tmp/probe", "/var/lib/roma-dr/probe")).orFail();
    }

    private static ServiceRecoveryWorkflow start(WorkflowClient client, String workflowId, Map<String, String> env) {
        ServiceRecoveryWorkflow workflow = client.newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(env.get("ROMA_DR_TASK_QUEUE")).setWorkflowId(workflowId)
                        .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
        WorkflowClient.start(workflow::recover, new ServiceRecoveryRequest("roma", "image test", "WorkerImageTest"));
        return workflow;
    }

    private static ServiceRecoveryReport result(ServiceRecoveryWorkflow workflow) throws Exception {
        long t0 = System.nanoTime();
        ServiceRecoveryReport report = WorkflowStub.fromTyped(workflow)
                .getResult(RECOVERY_DEADLINE.toSeconds(), TimeUnit.SECONDS, ServiceRecoveryReport.class);
        System.out.printf(Locale.ROOT, "%s: %s (waited %.1fs): %s%n", WorkflowStub.fromTyped(workflow)
                .getExecution().getWorkflowId(), report.outcome(), (System.nanoTime() - t0) / 1e9, report.summary());
        return report;
    }

    /** Until the workflow is in {@code step} and the server shows its activity STARTED on a worker. */
    private static void awaitActivityStarted(WorkflowClient client, ServiceRecoveryWorkflow workflow,
            String workflowId, String step, String activityType) {
        EmbeddedStack.eventually(RECOVERY_DEADLINE, () -> {
            boolean started = step.equals(workflow.progress().currentStep()) && client.getWorkflowServiceStubs()
                    .blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(TemporalServerProcess.NAMESPACE)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                    .getPendingActivitiesList().stream()
                    .anyMatch(a -> a.getActivityType().getName().equals(activityType)
                            && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
            return started ? true : null;
        }, () -> workflowId + " never had " + activityType + " started in step " + step + "; progress "
                + workflow.progress());
    }

    /**
     * {@code docker stop} (the run's --stop-timeout applies); asserts the drain: exit code 143, not OOM-killed, the
     * host's stopping and stopped lines in its log. Returns how long the stop took.
     */
    private static double stop(Path dir, String name) {
        long t0 = System.nanoTime();
        docker(dir, List.of("stop", name)).orFail();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String exit = docker(dir, List.of("inspect", "-f", "{{.State.ExitCode}} {{.State.OOMKilled}}", name))
                .orFail().stdout();
        String logs = logs(dir, name);
        System.out.printf(Locale.ROOT, "%s: docker stop in %.1fs, exit code and OOMKilled: %s%n", name, seconds,
                exit);
        assertEquals("143 false", exit, logs);
        assertTrue(logs.contains(STOPPING_LINE) && logs.contains(STOPPED_LINE),
                "no \"" + STOPPING_LINE + "\" and \"" + STOPPED_LINE + "\" in the log:\n" + logs);
        return seconds;
    }

    /** The socket's group, given to the container's user so it may use the engine (as `--group-add` in the doc). */
    private static String dockerSocketGroup() throws IOException {
        return String.valueOf(Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid"));
    }

    private static String inspectImage(Path dir, String format) {
        return docker(dir, List.of("image", "inspect", "-f", format, IMAGE)).orFail().stdout();
    }

    private static String logs(Path dir, String name) {
        CliCommand.Result r = docker(dir, List.of("logs", name));
        return r.stdout() + "\n" + r.stderr();
    }

    private static CliCommand.Result docker(Path dir, List<String> args) {
        return CliCommand.docker(dir.resolve("docker"), CLI, args);
    }

    private static String tail(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static String get(int adminPort) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int status(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
