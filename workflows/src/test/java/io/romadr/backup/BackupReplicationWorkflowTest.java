package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Backups copied to the replica in the failover region, and retention of the replica (activities mocked). */
class BackupReplicationWorkflowTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(StateSnapshotWorkflowImpl.class, ArtifactBackupWorkflowImpl.class,
                    SecretsBackupWorkflowImpl.class, RetentionWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final SecretsActivities secrets = mock(SecretsActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private final FakeNotifications notifications = new FakeNotifications();
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private <W> W start(TestWorkflowEnvironment testEnv, Worker worker, Class<W> type) {
        return start(testEnv, worker, type, BackupFixtures.planWithReplica(BackupFixtures.GIT, BackupFixtures.IMAGES));
    }

    private <W> W start(TestWorkflowEnvironment testEnv, Worker worker, Class<W> type, RecoveryPlan plan) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, backups, secrets, service, notifications);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(type,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
    }

    private void history(TestWorkflowEnvironment testEnv) {
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "replica-" + testName);
    }

    private void snapshotsAndCopiesVerify() {
        when(backups.snapshot(any())).thenAnswer(inv -> {
            SnapshotRequest r = inv.getArgument(0);
            return BackupFixtures.manifest(r.kind(), r.createdAt(), "x");
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        when(backups.replicateBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((ReplicateRequest) inv.getArgument(0)).manifest();
            return new ReplicaCopy(m.objectKey(), true, m.sha256(), m.sizeBytes());
        });
    }

    private List<String> replicaNotices() {
        return notifications.notices().stream().filter(n -> n.contains("-replica ")).toList();
    }

    private static List<String> steps(BackupReport r) {
        return r.timeline().stream().map(StepRecord::step).toList();
    }

    @Test
    void aStateSnapshotIsCopiedToTheReplicaAndTheCopyReadBack(TestWorkflowEnvironment testEnv, Worker worker) {
        snapshotsAndCopiesVerify();
        BackupReport report = start(testEnv, worker, StateSnapshotWorkflow.class)
                .snapshot(new BackupRequest("roma", "junit"));
        history(testEnv);

        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals(List.of("load-plan", "snapshot", "verify", "replicate", "verify-replica"), steps(report));
        assertTrue(report.timeline().stream().allMatch(s -> s.outcome() == StepOutcome.OK), report.timeline()
                .toString());
        assertTrue(report.replica().ok());
        assertEquals("us-west-2", report.replica().region());
        assertTrue(report.summary().endsWith(" Replicated to s3://roma-backups-west/roma (us-west-2), sha256 "
                + "ab".repeat(32) + " verified."), report.summary());
        verify(backups).replicateBackup(argThat(r -> r.from().equals(BackupFixtures.STORE)
                && r.to().equals(BackupFixtures.REPLICA) && r.manifest().equals(report.manifest())));
        verify(backups).verifyBackup(argThat(ref -> ref.store().equals(BackupFixtures.REPLICA)));
        verify(backups).verifyBackup(argThat(ref -> ref.store().equals(BackupFixtures.STORE)));
        assertTrue(BackupReportFormatter.markdown(report).contains("- **Replica:** replicated to "
                + "s3://roma-backups-west/roma (us-west-2)"), BackupReportFormatter.markdown(report));
    }

    @Test
    void theEncryptedSecretsExportIsCopiedAsStored(TestWorkflowEnvironment testEnv, Worker worker) {
        snapshotsAndCopiesVerify();
        when(secrets.exportSecrets(any())).thenAnswer(inv -> {
            SecretsExportRequest r = inv.getArgument(0);
            BackupManifest m = BackupFixtures.manifest(BackupKind.SECRETS, r.createdAt(), "s");
            return new BackupManifest(m.format(), m.kind(), m.plan(), r.objectKey(), m.sha256(), m.sizeBytes(), 0, 0,
                    "vault", r.createdAt(), r.workflowId(), List.of(), List.of("roma/app"), List.of("F00D"));
        });
        BackupReport report = start(testEnv, worker, SecretsBackupWorkflow.class)
                .backup(new BackupRequest("roma", "junit"));
        history(testEnv);

        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals(List.of("load-plan", "export-encrypt", "verify", "replicate", "verify-replica"),
                steps(report));
        assertTrue(report.replica().ok());
        verify(backups).replicateBackup(argThat(r -> r.manifest().objectKey().endsWith(".pgp")
                && r.manifest().equals(report.manifest())));
    }

    @Test
    void aReplicaThatCannotBeWrittenLeavesTheGoodBackupAndSaysSoLoudly(TestWorkflowEnvironment testEnv,
            Worker worker) {
        snapshotsAndCopiesVerify();
        doThrow(ApplicationFailure.newNonRetryableFailure(
                "replicating x to s3://roma-backups-west/roma failed: Access Denied", "BackupIOError"))
                .when(backups).replicateBackup(any());
        BackupReport report = start(testEnv, worker, ArtifactBackupWorkflow.class)
                .backup(new BackupRequest("roma", "junit"));

        assertEquals(Outcome.RECOVERED, report.outcome(), "the primary backup is good");
        assertEquals(List.of("load-plan", "snapshot", "verify", "replicate"), steps(report));
        assertEquals(StepOutcome.FAILED, report.timeline().get(3).outcome());
        assertFalse(report.replica().ok());
        assertTrue(report.replica().problem().contains("Access Denied"), report.replica().problem());
        assertTrue(report.summary().contains(" WARNING: NOT replicated to s3://roma-backups-west/roma (us-west-2): "),
                report.summary());
    }

    @Test
    void aCopyThatDoesNotReadBackIsNotReplicated(TestWorkflowEnvironment testEnv, Worker worker) {
        snapshotsAndCopiesVerify();
        doAnswer(inv -> {
            BackupRef ref = inv.getArgument(0);
            return ref.store().equals(BackupFixtures.REPLICA)
                    ? BackupFixtures.corrupt(ref.manifest())
                    : BackupFixtures.ok(ref.manifest());
        }).when(backups).verifyBackup(any());
        BackupReport report = start(testEnv, worker, StateSnapshotWorkflow.class)
                .snapshot(new BackupRequest("roma", "junit"));

        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals(StepOutcome.FAILED, report.timeline().get(4).outcome());
        assertFalse(report.replica().ok());
        assertNull(report.replica().sha256());
        assertTrue(report.replica().problem().startsWith("the copy does not read back: sha256 mismatch"),
                report.replica().problem());
    }

    @Test
    void retentionDeletesTheReplicasOldBackupsByTheSameRules(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        // secrets keep the newest 2; the replica holds one more old copy the primary no longer has
        List<BackupManifest> primary = List.of(BackupFixtures.manifest(BackupKind.SECRETS, now - 3_000_000, "a"),
                BackupFixtures.manifest(BackupKind.SECRETS, now - 2_000_000, "b"),
                BackupFixtures.manifest(BackupKind.SECRETS, now - 1_000_000, "c"));
        List<BackupManifest> replica = List.of(BackupFixtures.manifest(BackupKind.SECRETS, now - 4_000_000, "z"),
                primary.get(0), primary.get(1), primary.get(2));
        when(backups.listBackups(any())).thenAnswer(inv -> {
            ListBackupsRequest r = inv.getArgument(0);
            if (r.kind() != BackupKind.SECRETS) {
                return List.of();
            }
            return r.store().equals(BackupFixtures.REPLICA) ? replica : primary;
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        RetentionReport report = start(testEnv, worker, RetentionWorkflow.class)
                .apply(new RetentionRequest("roma", false, "junit"));
        history(testEnv);

        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals(1, report.deleted());
        verify(backups).deleteBackup(argThat(ref -> ref.store().equals(BackupFixtures.STORE)
                && ref.manifest().objectKey().endsWith("-a.pgp")));
        verify(backups, times(2)).deleteBackup(argThat(ref -> ref.store().equals(BackupFixtures.REPLICA)));
        verify(backups).deleteBackup(argThat(ref -> ref.store().equals(BackupFixtures.REPLICA)
                && ref.manifest().objectKey().endsWith("-z.pgp")));
        verify(backups, never()).deleteBackup(argThat(ref -> ref.manifest().objectKey().endsWith("-c.pgp")));
        assertTrue(report.summary().endsWith("Replica s3://roma-backups-west/roma: deleted 2 backup(s) by the "
                + "same rules."), report.summary());
    }

    @Test
    void aFailedReplicationIsToldAndTheNextGoodOneResolvesIt(TestWorkflowEnvironment testEnv, Worker worker) {
        snapshotsAndCopiesVerify();
        java.util.concurrent.atomic.AtomicInteger copies = new java.util.concurrent.atomic.AtomicInteger();
        doAnswer(inv -> {
            if (copies.incrementAndGet() == 1) {
                throw ApplicationFailure.newNonRetryableFailure("NoSuchBucket: roma-backups-west", "BackupIOError");
            }
            BackupManifest m = ((ReplicateRequest) inv.getArgument(0)).manifest();
            return new ReplicaCopy(m.objectKey(), true, m.sha256(), m.sizeBytes());
        }).when(backups).replicateBackup(any());
        ArtifactBackupWorkflow first = start(testEnv, worker, ArtifactBackupWorkflow.class,
                FakeNotifications.withRoutes(BackupFixtures.planWithReplica(BackupFixtures.GIT,
                        BackupFixtures.IMAGES)));
        BackupReport warned = first.backup(new BackupRequest("roma", "junit"));

        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(Outcome.RECOVERED, warned.outcome());
        // (the good primary backup resolves backup/roma/artifacts on the deduplicating channels, as it always does)
        assertEquals(List.of("backup/roma/artifacts-replica backup-failed" + pager), replicaNotices());
        assertTrue(notifications.deliveries().stream().anyMatch(d -> d.notice().key().endsWith("-replica")
                && d.notice().detail().contains("NoSuchBucket")), notifications.deliveries().toString());

        ArtifactBackupWorkflow next = testEnv.getWorkflowClient().newWorkflowStub(ArtifactBackupWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-next").build());
        BackupReport good = next.backup(new BackupRequest("roma", "junit"));
        assertTrue(good.replica().ok());
        assertEquals(List.of("backup/roma/artifacts-replica backup-failed" + pager,
                "backup/roma/artifacts-replica backup-failed resolved" + pager), replicaNotices());
    }
}
