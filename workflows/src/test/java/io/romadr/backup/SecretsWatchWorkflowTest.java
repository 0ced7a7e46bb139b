package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.BackupScheduleSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/**
 * The secrets watch with mocked activities and the real export workflow as its child: a changed version exports once
 * and records its lag, unchanged versions export nothing. The poll is 20 minutes here, so an hour's watch is three
 * polls (the test server skips the time).
 */
class SecretsWatchWorkflowTest {
    static final String VAULT = "vault:secret/roma/app";
    static final String AWS = "secretsmanager:roma/db";

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(SecretsWatchWorkflowImpl.class, SecretsBackupWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final SecretsActivities secrets = mock(SecretsActivities.class, withSettings().withoutAnnotations());
    private final BackupLagActivities lags = mock(BackupLagActivities.class, withSettings().withoutAnnotations());
    private final FakeNotifications notifications = new FakeNotifications();
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    static RecoveryPlan plan(boolean withSecrets) {
        BackupSpec b = BackupFixtures.plan(true).backup();
        BackupScheduleSpec every = new BackupScheduleSpec(null, null, null, null, null, null, null, null,
                Duration.ofMinutes(20), null);
        BackupSpec backup = new BackupSpec(b.store(), b.state(), b.artifacts(), withSecrets ? b.secrets() : null,
                b.retention(), every, b.verification(), b.git(), b.images(), null);
        RecoveryPlan p = BackupFixtures.plan(true);
        return new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(), p.recovery(), backup,
                p.site(), p.contacts(), p.notifications(), p.drills(), null);
    }

    static BackupManifest export(long createdAt, String id, Map<String, String> versions) {
        BackupManifest m = BackupFixtures.manifest(BackupKind.SECRETS, createdAt, id);
        return new BackupManifest(m.format(), m.kind(), m.plan(), m.objectKey(), m.sha256(), m.sizeBytes(),
                m.entries(), 0, "vault http://127.0.0.1:8200", createdAt, m.workflowId(), List.of(),
                List.copyOf(versions.keySet()), List.of("ABCD"), versions);
    }

    static SecretVersions versions(String vault, String aws, long changedAt) {
        return new SecretVersions(Map.of(VAULT, new SecretVersion(vault, changedAt), AWS,
                new SecretVersion(aws, changedAt)));
    }

    private SecretsWatchWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        when(backups.listBackups(any())).thenReturn(List.of(export(1_000, "old", Map.of(VAULT, "1", AWS, "a0")),
                export(2_000, "newest", Map.of(VAULT, "3", AWS, "a1"))));
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        worker.registerActivitiesImplementations(plans, backups, secrets, lags, notifications);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(SecretsWatchWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
    }

    @Test
    void aChangedVersionIsExportedOnceAndItsLagRecorded(TestWorkflowEnvironment testEnv, Worker worker) {
        AtomicInteger poll = new AtomicInteger();
        long changedAt = testEnv.currentTimeMillis() + Duration.ofMinutes(15).toMillis();
        // Poll 1 sees the newest export's versions; poll 2 a new Vault version; poll 3 the same again.
        when(secrets.secretVersions(any())).thenAnswer(inv -> poll.incrementAndGet() == 1
                ? versions("3", "a1", 2_000)
                : versions("4", "a1", changedAt));
        when(secrets.exportSecrets(any())).thenAnswer(inv -> {
            SecretsExportRequest r = inv.getArgument(0);
            return export(r.createdAt(), "new", Map.of(VAULT, "4", AWS, "a1"));
        });
        SecretsWatchReport report = start(testEnv, worker, plan(true)).watch(new BackupRequest("roma", "junit"));
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory("wf-" + testName), "secrets-watch-" + testName);

        assertEquals(3, report.polls(), report.toString());
        assertEquals(1, report.exports(), report.toString());
        assertEquals(1, report.changes(), report.toString());
        verify(secrets, times(1)).exportSecrets(any());
        ArgumentCaptor<RecordLagRequest> recorded = ArgumentCaptor.forClass(RecordLagRequest.class);
        verify(lags).recordLag(recorded.capture());
        RecordLagRequest r = recorded.getValue();
        assertEquals("secrets", r.kind());
        assertEquals(1, r.samples().size(), r.toString());
        LagSample s = r.samples().get(0);
        assertEquals(VAULT, s.source());
        assertEquals(VAULT + "@4", s.eventId());
        assertEquals(changedAt, s.eventAt());
        // Changed at 15 min, seen by the poll at 20 min, committed right after it.
        assertTrue(s.lagMillis() >= Duration.ofMinutes(5).toMillis()
                && s.lagMillis() < Duration.ofMinutes(6).toMillis(), s.toString());
        assertEquals(report.children().get(0), s.workflowId());
    }

    @Test
    void unchangedVersionsExportNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        when(secrets.secretVersions(any())).thenReturn(versions("3", "a1", 2_000));
        SecretsWatchReport report = start(testEnv, worker, plan(true)).watch(new BackupRequest("roma", "junit"));
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory("wf-" + testName), "secrets-watch-" + testName);

        assertEquals(3, report.polls(), report.toString());
        assertEquals(0, report.exports(), report.toString());
        verify(secrets, never()).exportSecrets(any());
        verify(lags, never()).recordLag(any());
    }

    @Test
    void aFailedExportIsTriedAgainAtALaterPoll(TestWorkflowEnvironment testEnv, Worker worker) {
        when(secrets.secretVersions(any())).thenReturn(versions("3", "a2", 3_000));
        AtomicInteger exports = new AtomicInteger();
        when(secrets.exportSecrets(any())).thenAnswer(inv -> {
            if (exports.incrementAndGet() == 1) {
                throw ApplicationFailure.newNonRetryableFailure("store down", "IOError");
            }
            SecretsExportRequest r = inv.getArgument(0);
            return export(r.createdAt(), "new", Map.of(VAULT, "3", AWS, "a2"));
        });
        SecretsWatchReport report = start(testEnv, worker, plan(true)).watch(new BackupRequest("roma", "junit"));

        assertEquals(1, report.failedExports(), report.toString());
        assertEquals(1, report.exports(), report.toString());
        verify(lags, times(1)).recordLag(any());
    }

    @Test
    void aPlanWithoutSecretsFailsTheWatch(TestWorkflowEnvironment testEnv, Worker worker) {
        SecretsWatchWorkflow wf = start(testEnv, worker, plan(false));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.watch(new BackupRequest("roma", "junit")));
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        assertTrue(af.getOriginalMessage().contains("has no backup.secrets"), af.getOriginalMessage());
        verify(secrets, never()).secretVersions(any());
    }

    @Test
    void theFirstWatchOfAPlanWithoutAnExportExportsAtOnceAndMeasuresNoLag(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(secrets.secretVersions(any())).thenReturn(versions("1", "a0", 2_000));
        when(secrets.exportSecrets(any())).thenAnswer(inv -> {
            SecretsExportRequest r = inv.getArgument(0);
            return export(r.createdAt(), "first", Map.of(VAULT, "1", AWS, "a0"));
        });
        SecretsWatchWorkflow wf = start(testEnv, worker, plan(true));
        when(backups.listBackups(any())).thenReturn(List.of());
        SecretsWatchReport report = wf.watch(new BackupRequest("roma", "junit"));

        assertEquals(1, report.exports(), report.toString());
        assertEquals(2, report.changes(), report.toString());
        ArgumentCaptor<SecretsExportRequest> exported = ArgumentCaptor.forClass(SecretsExportRequest.class);
        verify(secrets, times(1)).exportSecrets(exported.capture());
        assertEquals(plan(true).backup().secrets(), exported.getValue().spec(), "the plan's full export");
        // Nothing was exported before: no change time to measure from.
        verify(lags, never()).recordLag(any());
    }
}
