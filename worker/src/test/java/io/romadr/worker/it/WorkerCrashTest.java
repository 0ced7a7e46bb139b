package io.romadr.worker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.recovery.ServiceRecoveryRequest;
import io.romadr.recovery.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.report.RecoveryReport;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.worker.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker dies (kill -9) in the middle of a recovery, on a real Temporal server; a new worker process finishes
 * the same workflow, the service ends healthy, and the report shows the interrupted step with its retry.
 */
class WorkerCrashTest {
    private static final String QUEUE = "roma-dr-crash-test";

    @TempDir
    static Path dir;
    static TemporalDevServer temporal;
    static TemporalConnection connection;
    static DockerClient docker;
    static String image;

    private SandboxService sandbox;
    private WorkerProcess first;
    private WorkerProcess second;

    @BeforeAll
    static void startServer() throws Exception {
        docker = DockerClients.fromEnvironment();
        docker.pingCmd().exec(); // no engine = a failed test, not a skipped one
        image = SandboxImage.ensure(docker);
        temporal = TemporalDevServer.start(dir);
        connection = new TemporalConnection(temporal.address(), "default");
    }

    @AfterAll
    static void stopServer() {
        if (connection != null) {
            connection.close();
        }
        if (temporal != null) {
            temporal.close();
        }
    }

    @AfterEach
    void cleanUp() {
        for (WorkerProcess w : new WorkerProcess[] {first, second}) {
            if (w != null) {
                w.close();
            }
        }
        if (sandbox != null) {
            sandbox.destroy();
        }
    }

    /** Both containers running but sick: restart (slow: no init, each stop waits its timeout) is interrupted. */
    @Test
    void killedDuringRestart() throws Exception {
        RecoveryReport r = crashAt("restart", new SandboxService.Options(0, false), this::poisonRoma);
        assertEquals("recreate", recoveredBy(r)); // the poison survives a restart, not a recreate
    }

    /** Same fault, the worker dies while the containers are being replaced. */
    @Test
    void killedDuringRecreate() throws Exception {
        RecoveryReport r = crashAt("recreate", new SandboxService.Options(0, false), this::poisonRoma);
        assertEquals("recreate", recoveredBy(r));
    }

    /** A killed container with a slow start: the worker dies while waiting for it to become healthy. */
    @Test
    void killedDuringWaitHealthy() throws Exception {
        RecoveryReport r = crashAt("wait-healthy", new SandboxService.Options(8, true), s -> s.kill("roma"));
        assertEquals("restart", recoveredBy(r));
    }

    private RecoveryReport crashAt(String step, SandboxService.Options options,
            java.util.function.Consumer<SandboxService> fault) throws Exception {
        String project = "romadr-crash-" + UUID.randomUUID().toString().substring(0, 6);
        sandbox = SandboxService.create(docker, project, image, options);
        Path plans = Files.createDirectories(dir.resolve(project));
        String plan = "crash-" + step;
        Files.writeString(plans.resolve(plan + ".yaml"), withPoisonCheck(
                sandbox.planYaml(plan, "15m", "3s", "250ms", "6s", "2s", "1s")));

        first = WorkerProcess.start(temporal.address(), QUEUE, plans, dir.resolve(project + "-worker1.log"));
        fault.accept(sandbox);
        String id = "crash-" + project;
        ServiceRecoveryWorkflow wf = connection.client().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id)
                        .setWorkflowExecutionTimeout(Duration.ofMinutes(5)).build());
        WorkflowClient.start(wf::recover, new ServiceRecoveryRequest(plan, "crash test at " + step, "junit"));

        Poll.until("the recovery to reach step " + step, Duration.ofSeconds(90),
                () -> step.equals(wf.progress().currentStep()));
        long killedAt = System.nanoTime();
        first.kill9();
        second = WorkerProcess.start(temporal.address(), QUEUE, plans, dir.resolve(project + "-worker2.log"));

        RecoveryReport r = WorkflowStub.fromTyped(wf).getResultAsync(RecoveryReport.class).get(3, TimeUnit.MINUTES);
        System.out.printf("crash at %-12s -> completed %.1f s after the kill; %s%n", step,
                (System.nanoTime() - killedAt) / 1e9, r.summary());

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.timeline());
        for (String service : sandbox.services()) {
            assertEquals(200, status(sandbox.healthUrl(service)), service + " must serve again");
        }
        StepRecord interrupted = r.timeline().stream().filter(s -> s.step().equals(step)).findFirst().orElseThrow();
        assertEquals(StepOutcome.OK, interrupted.outcome(), interrupted.toString());
        assertTrue(interrupted.attempts() >= 2, "the interrupted step must show its retry: " + interrupted);
        return r;
    }

    /** A health check the sandbox passes until a "poison" file appears; a restart keeps it, a recreate does not. */
    private static String withPoisonCheck(String planYaml) {
        return planYaml.replace("  healthChecks:\n", "  healthChecks:\n"
                + "    - name: no-poison\n"
                + "      exec: { service: roma, command: [sh, -c, \"test ! -e /www/poison\"], timeout: 5s }\n");
    }

    private void poisonRoma(SandboxService s) {
        String exec = docker.execCreateCmd(s.containerId("roma")).withCmd("sh", "-c", ": > /www/poison").exec().getId();
        try {
            docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>()).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Long exit = Poll.until("the poison exec to finish", Duration.ofSeconds(10),
                () -> docker.inspectExecCmd(exec).exec().getExitCodeLong());
        assertEquals(0L, exit, "create /www/poison");
    }

    private static String recoveredBy(RecoveryReport r) {
        return r.summary().replaceFirst("^Recovered by (\\S+).*", "$1");
    }

    static int status(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

}
