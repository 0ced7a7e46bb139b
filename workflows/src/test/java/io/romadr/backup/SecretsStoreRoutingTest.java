package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.StoreCredentials;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * With {@code backup.secrets.store}, retention and a secrets restore list, verify, delete and read the secrets in
 * that store, and everything else in the main one (activities mocked; the real export is SecretsStoreOnMotoTest's).
 */
class SecretsStoreRoutingTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(BackupRestoreWorkflowImpl.class, RetentionWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    static final BackupStore SECRETS_STORE = new BackupStore("s3://roma-secrets/roma", null, null, null,
            new StoreCredentials(null, "SECRETS_KEY_ID", "SECRETS_SECRET", null));

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final SecretsActivities secrets = mock(SecretsActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());

    private static RecoveryPlan plan() {
        RecoveryPlan p = BackupFixtures.plan(true);
        BackupSpec b = p.backup();
        SecretsBackupSpec s = b.secrets();
        BackupSpec backup = new BackupSpec(b.store(), b.state(), b.artifacts(), new SecretsBackupSpec(s.vault(),
                s.secretsManager(), s.recipients(), SECRETS_STORE), b.retention(), b.schedule(), b.verification(),
                null, null);
        return new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(), p.recovery(), backup,
                p.site(), p.contacts(), p.notifications(), p.drills(), p.regions());
    }

    private <W> W start(TestWorkflowEnvironment testEnv, Worker worker, Class<W> type) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan());
        when(backups.listBackups(any())).thenAnswer(inv -> {
            ListBackupsRequest r = inv.getArgument(0);
            long now = testEnv.currentTimeMillis();
            return List.of(BackupFixtures.manifest(r.kind(), now - 3_000_000L, "a"),
                    BackupFixtures.manifest(r.kind(), now - 2_000_000L, "b"),
                    BackupFixtures.manifest(r.kind(), now - 1_000_000L, "c"));
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        worker.registerActivitiesImplementations(plans, backups, secrets, service);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(type, WorkflowOptions.newBuilder()
                .setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + type.getSimpleName()).build());
    }

    @Test
    void retentionListsVerifiesAndDeletesSecretsInTheirOwnStore(TestWorkflowEnvironment testEnv, Worker worker) {
        RetentionReport report = start(testEnv, worker, RetentionWorkflow.class)
                .apply(new RetentionRequest("roma", false, "junit"));
        assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());

        ArgumentCaptor<ListBackupsRequest> listed = ArgumentCaptor.forClass(ListBackupsRequest.class);
        verify(backups, org.mockito.Mockito.atLeast(3)).listBackups(listed.capture());
        for (ListBackupsRequest r : listed.getAllValues()) {
            assertEquals(r.kind() == BackupKind.SECRETS ? SECRETS_STORE : BackupFixtures.STORE, r.store(),
                    r.kind().id());
        }
        ArgumentCaptor<BackupRef> deleted = ArgumentCaptor.forClass(BackupRef.class);
        verify(backups, org.mockito.Mockito.atLeastOnce()).deleteBackup(deleted.capture());
        assertTrue(deleted.getAllValues().stream().anyMatch(d -> d.manifest().kind() == BackupKind.SECRETS),
                "keepLast 2 of 3 secrets exports: one deleted");
        for (BackupRef d : deleted.getAllValues()) {
            assertEquals(d.manifest().kind() == BackupKind.SECRETS ? SECRETS_STORE : BackupFixtures.STORE,
                    d.store(), d.manifest().objectKey());
        }
    }

    @Test
    void aSecretsRestoreReadsTheirOwnStore(TestWorkflowEnvironment testEnv, Worker worker) {
        when(secrets.restoreSecrets(any())).thenAnswer(inv -> new SecretsRestoreResult(
                ((SecretsRestoreRequest) inv.getArgument(0)).manifest().objectKey(), List.of("vault:roma/app"),
                List.of()));
        RestoreReport report = start(testEnv, worker, BackupRestoreWorkflow.class).restore(
                new RestoreBackupRequest("roma", BackupKind.SECRETS, null, null, null, "junit"));
        assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());

        ArgumentCaptor<SecretsRestoreRequest> restored = ArgumentCaptor.forClass(SecretsRestoreRequest.class);
        verify(secrets).restoreSecrets(restored.capture());
        assertEquals(SECRETS_STORE, restored.getValue().store());
        ArgumentCaptor<BackupRef> checked = ArgumentCaptor.forClass(BackupRef.class);
        verify(backups, org.mockito.Mockito.atLeastOnce()).verifyBackup(checked.capture());
        assertTrue(checked.getAllValues().stream().allMatch(r -> r.store().equals(SECRETS_STORE)));
    }
}
