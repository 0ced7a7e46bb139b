package io.romadr.worker.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.worker.crash.TemporalDevServer;
import io.romadr.worker.crash.WorkerProcess;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3 survives kill -9 of its worker: in every attempt of the install (a bootstrap command is running on the
 * new server; the dead workers spend all of the activity's attempts, and the step is called again instead of
 * failing the recovery), during the state restore (a 48 MiB snapshot is being copied onto it) and during the DNS update (the
 * zone file's lock is held by this test, so the update is inside the activity when the worker dies). Each time a
 * fresh worker process takes over; the recovery completes with one server, one DNS change, and a report whose
 * interrupted steps show their second attempt.
 */
@org.junit.jupiter.api.Tag("integration")
class SiteRecoveryCrashTest {
    static final String TASK_QUEUE = "roma-dr-site-crash";
    static final Duration STEP_DEADLINE = Duration.ofMinutes(2);
    /** As many as the install step's activity has attempts (SiteRecoveryWorkflowImpl.SERVER_ATTEMPTS). */
    static final int INSTALL_KILLS = 4;

    @Test
    void killNineDuringInstallStateRestoreAndDnsUpdate(@TempDir Path dir) throws Exception {
        DockerClient docker = DockerTestSupport.docker();
        List<WorkerProcess> workers = new ArrayList<>();
        try (SiteFixture site = new SiteFixture(dir, docker, "sitecrash");
                TemporalDevServer server = TemporalDevServer.start(dir.resolve("temporal"))) {
            site.writePlan("mkdir -p /srv/roma/tools && echo run >> /srv/roma/tools/runs && sleep 4 "
                    + "&& echo installed > /srv/roma/tools/marker", "");
            site.startOldSite(48 << 20);
            WorkflowClient client = WorkflowClient.newInstance(server.service(),
                    WorkflowClientOptions.newBuilder().setNamespace("default").build());
            workers.add(WorkerProcess.start("worker-1", dir, server.address(), TASK_QUEUE, site.plans,
                    site.workerProcessEnv()));
            site.backUp(server.address(), TASK_QUEUE);
            site.destroy();

            String id = "site-crash-" + site.run;
            SiteRecoveryWorkflow workflow = client.newWorkflowStub(SiteRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            WorkflowClient.start(workflow::recover, new SiteRecoveryRequest(site.plan, null, "crash test", "", null));

            // 1. During the install, once in each of the step's attempts: the bootstrap command has started on the
            // server. The dead workers spend all of the activity's attempts; the step is called again, not failed.
            for (int attempt = 1; attempt <= INSTALL_KILLS; attempt++) {
                int started = attempt;
                awaitStarted(server, id, "SiteRunOnServer", attempt);
                await("the bootstrap command to start (attempt " + attempt + ")", () -> site.servers().size() == 1
                        && runs(site) == started);
                restart(workers, server, site);
            }

            // 2. During the state restore (the first restore of the recovery is the state's).
            awaitStarted(server, id, "SiteRestoreData", 1);
            restart(workers, server, site);

            // 3. During the DNS update: hold the zone's lock so the update waits inside the activity.
            Path lockFile = site.zoneFile.resolveSibling(site.zoneFile.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = channel.lock()) {
                awaitStarted(server, id, "SiteUpdateDns", 1);
                workers.get(workers.size() - 1).kill9();
            }
            workers.add(WorkerProcess.start("worker-" + (workers.size() + 1), dir, server.address(), TASK_QUEUE,
                    site.plans, site.workerProcessEnv()));

            SiteRecoveryReport r = WorkflowStub.fromTyped(workflow).getResult(5, TimeUnit.MINUTES,
                    SiteRecoveryReport.class);
            assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.steps());
            for (String step : List.of("bootstrap: install", "restore-state", "dns-update")) {
                StepRecord s = r.steps().stream().filter(x -> x.step().equals(step)).findFirst().orElseThrow();
                assertTrue(s.attempts() >= 2, step + " should show the interrupted attempt: " + s);
            }
            // Every attempt the workers died in, then one more call of the step: the install ran again from the
            // start on the same server each time; one server, one service, one DNS change.
            StepRecord install = r.steps().stream().filter(x -> x.step().equals("bootstrap: install")).findFirst()
                    .orElseThrow();
            assertEquals(StepOutcome.OK, install.outcome(), install.toString());
            assertEquals(INSTALL_KILLS + 1, install.attempts(), install.toString());
            assertEquals(INSTALL_KILLS + 1, runs(site));
            assertEquals(1, site.servers().size(), site.servers().toString());
            assertEquals(1, site.services().size());
            assertEquals(1, site.zoneChanges().stream().filter(l -> l.contains(id)).count(),
                    site.zoneChanges().toString());
            assertEquals(List.of(r.server().address()), site.record().values());
            assertEquals("200 42", site.get("/cursor"));
            System.out.println(r.summary());
        } finally {
            workers.forEach(WorkerProcess::close);
        }
    }

    private static int runs(SiteFixture site) {
        try {
            Path runs = site.serverDisk().resolve("roma/tools/runs");
            return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** kill -9 of the newest worker, then a fresh one. */
    private static void restart(List<WorkerProcess> workers, TemporalDevServer server, SiteFixture site)
            throws Exception {
        workers.get(workers.size() - 1).kill9();
        workers.add(WorkerProcess.start("worker-" + (workers.size() + 1), site.root, server.address(), TASK_QUEUE,
                site.plans, site.workerProcessEnv()));
    }

    /** Until this attempt of the activity type is running on a worker (not only scheduled). */
    private static void awaitStarted(TemporalDevServer server, String workflowId, String activityType, int attempt) {
        await(activityType + " attempt " + attempt + " to start", () -> {
            List<PendingActivityInfo> pending = server.service().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                    .getPendingActivitiesList();
            return pending.stream().anyMatch(a -> a.getActivityType().getName().equals(activityType)
                    && a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                    && a.getAttempt() == attempt);
        });
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(STEP_DEADLINE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
