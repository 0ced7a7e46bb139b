package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.romadr.recovery.ServiceActivities;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault is reported as exactly its row, and a fresh set passes (activities mocked). */
class BackupVerificationWorkflowTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(BackupVerificationWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final SecretsActivities secrets = mock(SecretsActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private VerificationReport run(TestWorkflowEnvironment testEnv, Worker worker) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(BackupFixtures.plan(true));
        worker.registerActivitiesImplementations(plans, backups, secrets, service);
        testEnv.start();
        BackupVerificationWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(BackupVerificationWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
        VerificationReport report = wf.verify(new VerificationRequest("roma", "junit"));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "verification-" + testName);
        return report;
    }

    /** Fresh backups of every kind, every one verifying, unless a test overrides a stub. */
    private void freshSet(long now) {
        when(backups.listBackups(any())).thenAnswer(inv -> {
            BackupKind kind = ((ListBackupsRequest) inv.getArgument(0)).kind();
            return List.of(BackupFixtures.manifest(kind, now - 3 * 3_600_000L, "old"),
                    BackupFixtures.manifest(kind, now - 10 * 60_000L, "new"));
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        when(secrets.checkSecrets(any())).thenAnswer(inv -> BackupFixtures.ok(((SecretsRestoreRequest)
                inv.getArgument(0)).manifest()));
    }

    private static Map<String, VerificationStatus> statuses(VerificationReport r) {
        return r.rows().stream().collect(Collectors.toMap(row -> row.kind() + " " + row.check(),
                VerificationRow::status));
    }

    @Test
    void aFreshSetPasses(TestWorkflowEnvironment testEnv, Worker worker) {
        freshSet(testEnv.currentTimeMillis());
        VerificationReport r = run(testEnv, worker);
        assertTrue(r.allOk(), r.rows().toString());
        assertEquals(7, r.rows().size(), "freshness + integrity per kind, and decrypt for secrets: " + r.rows());
        assertTrue(r.summary().startsWith("All 7 checks OK"), r.summary());
    }

    @Test
    void eachFaultIsExactlyItsRow(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        freshSet(now);
        // state: the newest is 3 h old (max 2 h); artifacts: a flipped byte; secrets: cannot be decrypted.
        doAnswer(inv -> {
            BackupKind kind = ((ListBackupsRequest) inv.getArgument(0)).kind();
            long newest = kind == BackupKind.STATE ? now - 3 * 3_600_000L : now - 60_000L;
            return List.of(BackupFixtures.manifest(kind, newest, "n"));
        }).when(backups).listBackups(any());
        doAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m.kind() == BackupKind.ARTIFACTS ? BackupFixtures.corrupt(m) : BackupFixtures.ok(m);
        }).when(backups).verifyBackup(any());
        doAnswer(inv -> {
            BackupManifest m = ((SecretsRestoreRequest) inv.getArgument(0)).manifest();
            return new VerifyResult(m.objectKey(), false, "does not decrypt: integrity check failed", m.sha256(),
                    m.sizeBytes(), 0);
        }).when(secrets).checkSecrets(any());
        VerificationReport r = run(testEnv, worker);
        assertFalse(r.allOk());
        Map<String, VerificationStatus> s = statuses(r);
        assertEquals(Map.of(
                "state freshness", VerificationStatus.STALE, "state integrity", VerificationStatus.OK,
                "artifacts freshness", VerificationStatus.OK, "artifacts integrity", VerificationStatus.CORRUPT,
                "secrets freshness", VerificationStatus.OK, "secrets integrity", VerificationStatus.OK,
                "secrets decrypt", VerificationStatus.CORRUPT), s);
        VerificationRow stale = r.rows().stream().filter(x -> x.status() == VerificationStatus.STALE).findFirst()
                .orElseThrow();
        assertTrue(stale.evidence().contains("3h old (max 2h)"), stale.evidence());
    }

    @Test
    void noBackupAtAllIsMissing(TestWorkflowEnvironment testEnv, Worker worker) {
        freshSet(testEnv.currentTimeMillis());
        doReturn(List.of()).when(backups).listBackups(any());
        VerificationReport r = run(testEnv, worker);
        assertEquals(3, r.rows().size(), r.rows().toString());
        assertTrue(r.rows().stream().allMatch(x -> x.status() == VerificationStatus.MISSING), r.rows().toString());
        verify(backups, never()).verifyBackup(any());
    }
}
