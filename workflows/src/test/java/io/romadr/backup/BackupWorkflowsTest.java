package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.report.Outcome;
import io.romadr.report.StepOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import io.romadr.notify.FakeNotifications;
import io.romadr.plan.RecoveryPlan;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/** Backup, restore, retention and listing workflows with mocked activities (the real ones are tested elsewhere). */
class BackupWorkflowsTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(StateSnapshotWorkflowImpl.class, ArtifactBackupWorkflowImpl.class,
                    SecretsBackupWorkflowImpl.class, BackupRestoreWorkflowImpl.class, RetentionWorkflowImpl.class,
                    BackupCatalogWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final SecretsActivities secrets = mock(SecretsActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    /** Nothing measured, unless a test says otherwise. */
    private final BackupLagActivities lags = mock(BackupLagActivities.class, withSettings().withoutAnnotations()
            .defaultAnswer(inv -> inv.getArgument(0) instanceof LagSummaryRequest q
                    ? LagSummary.none("roma", q.kind(), LagSummary.EVENTS, 0)
                    : null));
    private String testName;
    /** Hears something only when the plan has routes. */
    private final FakeNotifications notifications = new FakeNotifications();

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private <W> W start(TestWorkflowEnvironment testEnv, Worker worker, Class<W> type, boolean withBackup) {
        return start(testEnv, worker, type, BackupFixtures.plan(withBackup));
    }

    private <W> W start(TestWorkflowEnvironment testEnv, Worker worker, Class<W> type, RecoveryPlan plan) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, backups, secrets, service, notifications, lags);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(type,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
    }

    private void history(TestWorkflowEnvironment testEnv) {
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, testName);
    }

    private static <T> T failureDetails(WorkflowFailedException e, Class<T> type) {
        ApplicationFailure af = assertInstanceOf(ApplicationFailure.class, e.getCause());
        return af.getDetails().get(type);
    }

    @Test
    void stateSnapshotStoresVerifiesAndReports(TestWorkflowEnvironment testEnv, Worker worker) {
        ArgumentCaptor<SnapshotRequest> req = ArgumentCaptor.forClass(SnapshotRequest.class);
        when(backups.snapshot(req.capture())).thenAnswer(inv -> {
            SnapshotRequest r = inv.getArgument(0);
            return new BackupManifest(1, r.kind(), r.plan(), r.objectKey(), "cd".repeat(32), 10_000, 12, 40_000,
                    "roma-roma-1:" + r.path(), r.createdAt(), r.workflowId(), List.of(), List.of(), List.of());
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        StateSnapshotWorkflow wf = start(testEnv, worker, StateSnapshotWorkflow.class, true);
        BackupReport report = wf.snapshot(new BackupRequest("roma", "junit"));
        history(testEnv);

        assertEquals(Outcome.RECOVERED, report.outcome());
        SnapshotRequest sent = req.getValue();
        assertEquals("/app/.roma", sent.path());
        assertEquals("roma", sent.project());
        assertTrue(sent.objectKey().matches("state/roma/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.tar\\.gz"), sent.objectKey());
        assertEquals(List.of("load-plan", "snapshot", "verify"),
                report.timeline().stream().map(s -> s.step()).toList());
        assertTrue(report.timeline().stream().allMatch(s -> s.outcome() == StepOutcome.OK));
        assertTrue(report.summary().contains("verified"), report.summary());
    }

    @Test
    void aBackupThatDoesNotReadBackFailsTheWorkflowWithItsReport(TestWorkflowEnvironment testEnv, Worker worker) {
        when(backups.snapshot(any())).thenAnswer(inv -> {
            SnapshotRequest r = inv.getArgument(0);
            return BackupFixtures.manifest(BackupKind.ARTIFACTS, r.createdAt(), "x");
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.corrupt(((BackupRef) inv.getArgument(0))
                .manifest()));
        ArtifactBackupWorkflow wf = start(testEnv, worker, ArtifactBackupWorkflow.class, true);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.backup(new BackupRequest("roma", "junit")));
        history(testEnv);
        BackupReport report = failureDetails(e, BackupReport.class);
        assertEquals(Outcome.FAILED, report.outcome());
        assertTrue(report.summary().contains("sha256 mismatch"), report.summary());
        assertEquals(List.of("*.json"), mockCaptureInclude());
    }

    private List<String> mockCaptureInclude() {
        ArgumentCaptor<SnapshotRequest> req = ArgumentCaptor.forClass(SnapshotRequest.class);
        verify(backups).snapshot(req.capture());
        return req.getValue().include();
    }

    @Test
    void aPlanWithoutABackupSectionTouchesNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        StateSnapshotWorkflow wf = start(testEnv, worker, StateSnapshotWorkflow.class, false);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.snapshot(new BackupRequest("roma", "junit")));
        BackupReport report = failureDetails(e, BackupReport.class);
        assertTrue(report.summary().contains("has no backup: section"), report.summary());
        verify(backups, never()).snapshot(any());
    }

    @Test
    void secretsBackupPassesOnlyKeysAndSpecs(TestWorkflowEnvironment testEnv, Worker worker) {
        when(secrets.exportSecrets(any())).thenAnswer(inv -> {
            SecretsExportRequest r = inv.getArgument(0);
            return new BackupManifest(1, BackupKind.SECRETS, r.plan(), r.objectKey(), "ef".repeat(32), 900, 0, 0,
                    "vault", r.createdAt(), r.workflowId(), List.of(), List.of("vault:roma/app"),
                    List.of("0123456789ABCDEF0123456789ABCDEF01234567"));
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        SecretsBackupWorkflow wf = start(testEnv, worker, SecretsBackupWorkflow.class, true);
        BackupReport report = wf.backup(new BackupRequest("roma", "junit"));
        history(testEnv);
        assertTrue(report.manifest().objectKey().matches("secrets/roma/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.pgp"));
        assertTrue(report.summary().contains("1 secret(s)"), report.summary());
    }

    @Test
    void restoreSkipsACorruptNewestBackupAndUsesTheNextOne(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        BackupManifest newest = BackupFixtures.manifest(BackupKind.STATE, now - 10 * 60_000L, "new");
        BackupManifest older = BackupFixtures.manifest(BackupKind.STATE, now - 70 * 60_000L, "old");
        when(backups.listBackups(any())).thenReturn(List.of(older, newest));
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m.equals(newest) ? BackupFixtures.corrupt(m) : BackupFixtures.ok(m);
        });
        when(backups.restoreArchive(any())).thenAnswer(inv -> {
            RestoreRequest r = inv.getArgument(0);
            return new RestoreResult(r.manifest().objectKey(), "/var/lib/docker/volumes/roma-state/_data", 7, 4000,
                    List.of(), "restored 7 entries");
        });
        when(service.waitHealthy(any(HealthRequest.class))).thenReturn(
                new HealthResult(true, List.of(), 1, 100, 1));
        BackupRestoreWorkflow wf = start(testEnv, worker, BackupRestoreWorkflow.class, true);
        RestoreReport report = wf.restore(new RestoreBackupRequest("roma", BackupKind.STATE, null, null, null,
                "junit"));
        history(testEnv);

        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals(older, report.used());
        assertEquals(1, report.rejected().size());
        assertTrue(report.rejected().get(0).problem().contains("sha256 mismatch"));
        ArgumentCaptor<RestoreRequest> req = ArgumentCaptor.forClass(RestoreRequest.class);
        verify(backups, times(1)).restoreArchive(req.capture());
        assertEquals(older, req.getValue().manifest());
        assertTrue(report.dataAgeMillis() >= 70 * 60_000L);
        assertTrue(report.summary().contains("BEYOND RPO"), "70 min old state vs a 1 h RPO: " + report.summary());
    }

    @Test
    void restoreFromANamedCorruptBackupWritesNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        BackupManifest newest = BackupFixtures.manifest(BackupKind.ARTIFACTS, now - 60_000L, "new");
        BackupManifest older = BackupFixtures.manifest(BackupKind.ARTIFACTS, now - 120_000L, "old");
        when(backups.listBackups(any())).thenReturn(List.of(older, newest));
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.corrupt(((BackupRef) inv.getArgument(0))
                .manifest()));
        BackupRestoreWorkflow wf = start(testEnv, worker, BackupRestoreWorkflow.class, true);
        String fileName = older.objectKey().substring(older.objectKey().lastIndexOf('/') + 1);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> wf.restore(
                new RestoreBackupRequest("roma", BackupKind.ARTIFACTS, fileName, List.of("a.json"), null, "junit")));
        RestoreReport report = failureDetails(e, RestoreReport.class);
        assertTrue(report.summary().contains("failed verification; nothing was restored"), report.summary());
        verify(backups, times(1)).verifyBackup(any());
        verify(backups, never()).restoreArchive(any());
    }

    @Test
    void restoreFromAnUnknownBackupNamesTheListCommand(TestWorkflowEnvironment testEnv, Worker worker) {
        when(backups.listBackups(any())).thenReturn(List.of());
        BackupRestoreWorkflow wf = start(testEnv, worker, BackupRestoreWorkflow.class, true);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> wf.restore(
                new RestoreBackupRequest("roma", BackupKind.SECRETS, "nope.pgp", null, null, "junit")));
        RestoreReport report = failureDetails(e, RestoreReport.class);
        assertTrue(report.summary().contains("roma-dr backups list --plan roma"), report.summary());
        verify(secrets, never()).restoreSecrets(any());
    }

    @Test
    void retentionDeletesWhatTheRulesSayAndKeepsTheNewestGood(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        List<BackupManifest> secretsBackups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            secretsBackups.add(BackupFixtures.manifest(BackupKind.SECRETS, now - (4 - i) * 3_600_000L, "s" + i));
        }
        when(backups.listBackups(any()))
                .thenAnswer(inv -> ((ListBackupsRequest) inv.getArgument(0)).kind() == BackupKind.SECRETS
                        ? secretsBackups
                        : List.of());
        // The newest two are corrupt: the newest good is s1, which keepLast 2 alone would delete.
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m.createdAt() >= secretsBackups.get(2).createdAt()
                    ? BackupFixtures.corrupt(m)
                    : BackupFixtures.ok(m);
        });
        RetentionWorkflow wf = start(testEnv, worker, RetentionWorkflow.class, true);
        RetentionReport report = wf.apply(new RetentionRequest("roma", false, "junit"));
        history(testEnv);

        ArgumentCaptor<BackupRef> deleted = ArgumentCaptor.forClass(BackupRef.class);
        verify(backups, times(1)).deleteBackup(deleted.capture());
        assertEquals(secretsBackups.get(0), deleted.getValue().manifest());
        assertEquals(1, report.deleted());
        RetentionDecision s1 = report.decisions().stream()
                .filter(d -> d.objectKey().equals(secretsBackups.get(1).objectKey())).findFirst().orElseThrow();
        assertTrue(s1.keep());
        assertTrue(s1.reason().contains("newest verified backup"), s1.reason());
    }

    /** Three secrets backups, 50, 33 and 17 minutes old (keepLast 2 in the fixture plan); no other kind. */
    private void threeSecretsBackups(long now) {
        List<BackupManifest> ms = List.of(BackupFixtures.manifest(BackupKind.SECRETS, now - 3_000_000L, "a"),
                BackupFixtures.manifest(BackupKind.SECRETS, now - 2_000_000L, "b"),
                BackupFixtures.manifest(BackupKind.SECRETS, now - 1_000_000L, "c"));
        when(backups.listBackups(any())).thenAnswer(
                inv -> ((ListBackupsRequest) inv.getArgument(0)).kind() == BackupKind.SECRETS ? ms : List.of());
    }

    @Test
    void retentionDryRunDeletesNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        threeSecretsBackups(testEnv.currentTimeMillis());
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        RetentionWorkflow wf = start(testEnv, worker, RetentionWorkflow.class, true);
        RetentionReport report = wf.apply(new RetentionRequest("roma", true, "junit"));
        verify(backups, never()).deleteBackup(any());
        assertEquals(1, report.decisions().stream().filter(d -> !d.keep()).count());
        assertTrue(report.summary().startsWith("Dry run: would delete 1"), report.summary());
    }

    @Test
    void retentionDeletesNothingWhenNoBackupVerifies(TestWorkflowEnvironment testEnv, Worker worker) {
        threeSecretsBackups(testEnv.currentTimeMillis());
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.corrupt(((BackupRef) inv.getArgument(0))
                .manifest()));
        RetentionWorkflow wf = start(testEnv, worker, RetentionWorkflow.class, true);
        RetentionReport report = wf.apply(new RetentionRequest("roma", false, "junit"));
        verify(backups, never()).deleteBackup(any());
        assertTrue(report.decisions().stream().allMatch(RetentionDecision::keep));
        assertTrue(report.timeline().stream().anyMatch(s -> s.outcome() == StepOutcome.FAILED
                && s.detail().contains("no secrets backup verifies")));
    }

    @Test
    void catalogListsAndVerifiesEveryBackup(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        BackupManifest a = BackupFixtures.manifest(BackupKind.STATE, now - 1000, "a");
        BackupManifest b = BackupFixtures.manifest(BackupKind.ARTIFACTS, now - 2000, "b");
        when(backups.listBackups(any())).thenAnswer(inv -> switch (((ListBackupsRequest) inv.getArgument(0)).kind()) {
            case STATE -> List.of(a);
            case ARTIFACTS -> List.of(b);
            case SECRETS -> List.of();
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m.equals(b) ? BackupFixtures.corrupt(m) : BackupFixtures.ok(m);
        });
        BackupCatalogWorkflow wf = start(testEnv, worker, BackupCatalogWorkflow.class, true);
        BackupCatalog catalog = wf.list(new CatalogRequest("roma", null, true));
        history(testEnv);
        assertEquals(2, catalog.entries().size());
        assertTrue(catalog.entries().get(0).verification().ok());
        assertFalse(catalog.entries().get(1).verification().ok());
        assertNotNull(catalog.store());
    }

    /**
     * The listing's "Measured RPO": one line per kind the plan backs up (git and images too when every kind is
     * listed): state OK, artifacts OVER its RPO, secrets unreadable (UNKNOWN, the listing still answers), git and
     * images with nothing measured (NONE); a listing of one kind measures only that kind.
     */
    @Test
    void catalogShowsEachKindsMeasuredRpo(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        when(backups.listBackups(any())).thenReturn(List.of());
        when(lags.lagSummary(any())).thenAnswer(inv -> {
            LagSummaryRequest q = inv.getArgument(0);
            return switch (q.kind()) {
                case "state" -> new LagSummary("roma", "state", LagSummary.INTERVAL, q.since(), 10, 3_600_000L,
                        3_600_000L, 3_630_000L, 3_600_000L, now);
                case "artifacts" -> new LagSummary("roma", "artifacts", LagSummary.INTERVAL, q.since(), 3,
                        86_400_000L, 172_800_000L, 172_800_000L, 86_400_000L, now);
                case "secrets" -> throw ApplicationFailure.newNonRetryableFailure("store unreadable", "BackupIOError");
                default -> LagSummary.none("roma", q.kind(), LagSummary.EVENTS, q.since());
            };
        });
        BackupCatalogWorkflow wf = start(testEnv, worker, BackupCatalogWorkflow.class, true);
        BackupCatalog catalog = wf.list(new CatalogRequest("roma", null, false));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "catalog-v1-" + testName);

        assertEquals(List.of("state OK", "artifacts OVER", "secrets UNKNOWN", "git NONE", "images NONE"),
                catalog.measuredRpo().stream().map(l -> l.kind() + " " + l.status()).toList());
        assertEquals(3_660_000L, catalog.measuredRpo().get(0).limitMillis());
        assertTrue(catalog.measuredRpo().get(2).problem().contains("store unreadable"),
                catalog.measuredRpo().get(2).problem());
        String table = BackupReportFormatter.table(catalog, now);
        assertTrue(table.contains("Measured RPO (last 7d"), table);
        assertTrue(
                table.lines().anyMatch(l -> l.matches("artifacts +interval +3 +1d +2d +2d +1d \\(\\+1m00s\\) +OVER")),
                table);
        assertTrue(table.lines().anyMatch(l -> l.matches("git +events +0 +- +- +- +0s \\(\\+1m00s\\) +NONE")),
                table);
        assertTrue(table.contains("UNKNOWN secrets: "), table);
    }

    @Test
    void aFailedBackupIsToldAndTheNextGoodOneOfItsKindResolvesIt(TestWorkflowEnvironment testEnv, Worker worker) {
        when(backups.snapshot(any())).thenAnswer(inv -> {
            SnapshotRequest r = inv.getArgument(0);
            return BackupFixtures.manifest(BackupKind.ARTIFACTS, r.createdAt(), "x");
        });
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return reads.incrementAndGet() == 1 ? BackupFixtures.corrupt(m) : BackupFixtures.ok(m);
        });
        ArtifactBackupWorkflow failing = start(testEnv, worker, ArtifactBackupWorkflow.class,
                FakeNotifications.withRoutes(BackupFixtures.plan(true)));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> failing.backup(new BackupRequest("roma", "junit")));
        history(testEnv);
        BackupReport failed = failureDetails(e, BackupReport.class);

        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertEquals(List.of("backup/roma/artifacts backup-failed" + pager), notifications.notices());
        Notice told = notifications.deliveries().get(0).notice();
        assertEquals("backup", told.kind());
        assertEquals("artifacts", told.scenario());
        assertEquals(failed.summary(), told.detail());
        assertEquals(Outcome.FAILED, failed.outcome());
        assertTrue(failed.timeline().stream().anyMatch(s -> s.outcome() == StepOutcome.NOTIFIED
                && s.detail().startsWith("sre-oncall paged via pagerduty:sre")), failed.timeline().toString());

        ArtifactBackupWorkflow next = testEnv.getWorkflowClient().newWorkflowStub(ArtifactBackupWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-next").build());
        BackupReport good = next.backup(new BackupRequest("roma", "junit"));

        assertEquals(Outcome.RECOVERED, good.outcome());
        assertEquals(List.of("backup/roma/artifacts backup-failed" + pager,
                "backup/roma/artifacts backup-failed resolved" + pager), notifications.notices());
        Notice resolved = notifications.deliveries().get(notifications.deliveries().size() - 1).notice();
        assertTrue(resolved.resolve());
        assertEquals(NotifyEvent.BACKUP_FAILED, resolved.event());
        assertEquals(List.of("load-plan", "snapshot", "verify", "notify"),
                good.timeline().stream().map(s -> s.step()).toList());
    }
}
