package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.poll.Deadline;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.ReplicaCopy;
import io.romadr.backup.ReplicateRequest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.StateSnapshotWorkflow;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.PlanRepository;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.TaskQueues;
import io.romadr.worker.crash.TemporalDevServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups on their own queue (real dev server, the real worker wiring): with the backups worker's slots taken by
 * backups that do not end, and one more waiting, a recovery's first step still starts at once.
 */
@org.junit.jupiter.api.Tag("integration")
class BackupQueueTest {
    static final String TASK_QUEUE = "roma-dr-backup-queue";

    /** A snapshot that holds its slot until released; nothing else is called in this test. */
    static final class SlowBackups implements BackupActivities {
        final AtomicInteger entered = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public BackupManifest snapshot(SnapshotRequest request) {
            entered.incrementAndGet();
            try {
                release.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("released: the test is over");
        }

        @Override
        public List<BackupManifest> listBackups(ListBackupsRequest request) {
            throw new AssertionError("BackupQueueTest calls only snapshot");
        }

        @Override
        public VerifyResult verifyBackup(BackupRef ref) {
            throw new AssertionError("BackupQueueTest calls only snapshot");
        }

        @Override
        public RestoreResult restoreArchive(RestoreRequest request) {
            throw new AssertionError("BackupQueueTest calls only snapshot");
        }

        @Override
        public ReplicaCopy replicateBackup(ReplicateRequest request) {
            throw new AssertionError("BackupQueueTest calls only snapshot");
        }

        @Override
        public void deleteBackup(BackupRef ref) {
            throw new AssertionError("BackupQueueTest calls only snapshot");
        }
    }

    @Test
    void aBurstOfBackupsDoesNotDelayARecovery(@TempDir Path dir) throws Exception {
        PlanRepository plans = new PlanRepository(Path.of("..", "deploy", "plans").toAbsolutePath().normalize());
        SlowBackups backups = new SlowBackups();
        // Two slots (the fewest that let its two pollers poll) for the backups worker; the recovery worker's defaults.
        WorkerTuning tuning = new WorkerTuning(200, 600, 16, 16, 600, 1800, 2, 2);
        try (TemporalDevServer temporal = TemporalDevServer.start(dir);
                TemporalConnection connection = new TemporalConnection(temporal.address(), "default");
                RomaWorker worker = new RomaWorker(connection.client(), TASK_QUEUE, tuning,
                        new RomaWorker.Activities(new PlanDirectoryActivities(plans), null, backups, null))) {
            worker.start();
            WorkflowClient client = connection.client();
            for (int i = 0; i < 3; i++) {
                client.newUntypedWorkflowStub(StateSnapshotWorkflow.TYPE, WorkflowOptions.newBuilder()
                        .setTaskQueue(TaskQueues.forWorkflow(TASK_QUEUE, StateSnapshotWorkflow.TYPE))
                        .setWorkflowId("backup-burst-" + i).build())
                        .start(new BackupRequest("roma", "backup queue test"));
            }
            Deadline busy = Deadline.after(Duration.ofSeconds(60));
            while (backups.entered.get() < 2) {
                assertTrue(!busy.passed(), () -> "the backups did not fill the backups worker's two slots: "
                        + backups.entered.get() + " in their snapshot step");
                Deadline.pause(Duration.ofMillis(50));
            }

            // The recovery's first step (load-plan) runs while the backups worker is full: "no-such-plan" ends the
            // recovery right after it, so its report comes back at once.
            ServiceRecoveryWorkflow wf = client.newWorkflowStub(ServiceRecoveryWorkflow.class, WorkflowOptions
                    .newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("recovery-beside-backups")
                    .setWorkflowExecutionTimeout(Duration.ofSeconds(60)).build());
            WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
                    () -> wf.recover(ServiceRecoveryRequest.of("no-such-plan")));
            ServiceRecoveryReport report = RunFailure.reportOf(failed, ServiceRecoveryReport.class);
            assertEquals(Outcome.FAILED, report.outcome());
            assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("load-plan")),
                    () -> "no load-plan step: " + report.timeline());
            // ...and the backups were still holding the backups worker: two in its slots, one waiting.
            assertEquals(2, backups.entered.get());
            assertEquals(1, backups.release.getCount());
            backups.release.countDown();
        }
    }
}
