package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.PlanActivities;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.romadr.notify.FakeNotifications;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.StepOutcome;
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
    private final GitMirrorActivities git = mock(GitMirrorActivities.class, withSettings().withoutAnnotations());
    private final ImageMirrorActivities images = mock(ImageMirrorActivities.class, withSettings().withoutAnnotations());
    private final TestRestoreActivities sandbox = mock(TestRestoreActivities.class,
            withSettings().withoutAnnotations());
    private final BackupLagActivities lags = mock(BackupLagActivities.class, withSettings().withoutAnnotations());
    private String testName;
    /** Hears something only when the plan has routes. */
    private final FakeNotifications notifications = new FakeNotifications();

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    private VerificationReport run(TestWorkflowEnvironment testEnv, Worker worker) {
        return run(testEnv, worker, BackupFixtures.plan(true));
    }

    private VerificationReport run(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, backups, secrets, service, git, images, sandbox,
                notifications, lags);
        testEnv.start();
        BackupVerificationWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(BackupVerificationWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
        VerificationReport report;
        try {
            report = wf.verify(new VerificationRequest("roma", "junit"));
            failedExecution = false;
        } catch (WorkflowFailedException e) {
            // A NOT OK row fails the execution; its report is in the failure's details.
            ApplicationFailure failure = (ApplicationFailure) e.getCause();
            assertEquals("VerificationFailed", failure.getType());
            assertTrue(failure.isNonRetryable());
            report = failure.getDetails().get(VerificationReport.class);
            assertEquals(report.summary(), failure.getOriginalMessage());
            failedExecution = true;
        }
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "verification-" + testName);
        assertEquals(!report.allOk(), failedExecution, "FAILED execution exactly when a row is NOT OK");
        return report;
    }

    private boolean failedExecution;

    /** Fresh backups of every kind, every one verifying, unless a test overrides a stub. */
    private void freshSet(long now) {
        when(backups.listBackups(any())).thenAnswer(inv -> {
            BackupKind kind = ((ListBackupsRequest) inv.getArgument(0)).kind();
            return List.of(BackupFixtures.manifest(kind, now - 3 * 3_600_000L, "old"),
                    BackupFixtures.manifest(kind, now - 10 * 60_000L, "new"));
        });
        when(backups.verifyBackup(any())).thenAnswer(inv -> BackupFixtures.ok(((BackupRef) inv.getArgument(0))
                .manifest()));
        when(secrets.checkSecrets(any()))
                .thenAnswer(inv -> BackupFixtures.ok(((SecretsRestoreRequest) inv.getArgument(0)).manifest()));
        when(git.checkBackup(any())).thenAnswer(inv -> {
            String remote = ((GitCheckRequest) inv.getArgument(0)).backup().name();
            return List.of(new VerificationRow("git", "freshness " + remote, VerificationStatus.OK, "2 ref(s) equal"),
                    new VerificationRow("git", "integrity " + remote, VerificationStatus.OK, "objects complete"));
        });
        when(images.checkImages(any())).thenAnswer(inv -> ((ImageCheckRequest) inv.getArgument(0)).images()
                .repositories().stream().flatMap(repo -> java.util.stream.Stream.of(
                        new VerificationRow("images", "freshness " + repo, VerificationStatus.OK, "latest equal"),
                        new VerificationRow("images", "integrity " + repo, VerificationStatus.OK, "4 blob(s)")))
                .toList());
        when(sandbox.testRestore(any())).thenAnswer(inv -> {
            TestRestoreRequest t = inv.getArgument(0);
            return new TestRestoreResult(t.manifest().objectKey(), true, t.sandboxName(), "sha256:1", 2500,
                    List.of("http: OK 200"), "");
        });
        // Every kind measured well within its RPO: git's 0 (continuous) by its 1 m slack.
        when(lags.lagSummary(any())).thenAnswer(inv -> {
            LagSummaryRequest q = inv.getArgument(0);
            return new LagSummary(q.plan(), q.kind(), LagSummary.EVENTS, q.since(), 12, 4_000, 9_000, 9_500, 5_000,
                    now);
        });
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
        // freshness + integrity per kind, test-restore for state, decrypt for secrets, two rows per git backup remote
        // and per image repository, and the measured RPO of each of the five kinds.
        assertEquals(21, r.rows().size(), r.rows().toString());
        assertTrue(r.summary().startsWith("All 21 checks OK"), r.summary());
        verify(sandbox).testRestore(argThat(t -> t.manifest().objectKey().contains("-new.")
                && t.path().equals("/app/.roma") && t.checks().size() == 1
                && t.sandboxName().startsWith("roma-dr-sandbox-roma-")));
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
        // git: backup-1 is 3 days behind; images: a blob of roma-web is gone from the backup registry.
        doAnswer(inv -> {
            String remote = ((GitCheckRequest) inv.getArgument(0)).backup().name();
            return List.of(new VerificationRow("git", "freshness " + remote, remote.equals("backup-1")
                    ? VerificationStatus.STALE
                    : VerificationStatus.OK, "main 3d behind"),
                    new VerificationRow("git", "integrity " + remote, VerificationStatus.OK, "objects complete"));
        }).when(git).checkBackup(any());
        doAnswer(inv -> ((ImageCheckRequest) inv.getArgument(0)).images().repositories().stream()
                .flatMap(repo -> java.util.stream.Stream.of(
                        new VerificationRow("images", "freshness " + repo, VerificationStatus.OK, "latest equal"),
                        new VerificationRow("images", "integrity " + repo, repo.equals("roma-web")
                                ? VerificationStatus.CORRUPT
                                : VerificationStatus.OK, "blob sha256:ab missing")))
                .toList()).when(images).checkImages(any());
        VerificationReport r = run(testEnv, worker);
        assertFalse(r.allOk());
        Map<String, VerificationStatus> s = statuses(r);
        assertEquals(Map.ofEntries(
                Map.entry("state freshness", VerificationStatus.STALE),
                Map.entry("state integrity", VerificationStatus.OK),
                Map.entry("state test-restore", VerificationStatus.OK),
                Map.entry("artifacts freshness", VerificationStatus.OK),
                Map.entry("artifacts integrity", VerificationStatus.CORRUPT),
                Map.entry("secrets freshness", VerificationStatus.OK),
                Map.entry("secrets integrity", VerificationStatus.OK),
                Map.entry("secrets decrypt", VerificationStatus.CORRUPT),
                Map.entry("git freshness backup-1", VerificationStatus.STALE),
                Map.entry("git integrity backup-1", VerificationStatus.OK),
                Map.entry("git freshness backup-2", VerificationStatus.OK),
                Map.entry("git integrity backup-2", VerificationStatus.OK),
                Map.entry("images freshness roma-builder", VerificationStatus.OK),
                Map.entry("images integrity roma-builder", VerificationStatus.OK),
                Map.entry("images freshness roma-web", VerificationStatus.OK),
                Map.entry("images integrity roma-web", VerificationStatus.CORRUPT),
                Map.entry("state rpo", VerificationStatus.OK),
                Map.entry("artifacts rpo", VerificationStatus.OK),
                Map.entry("secrets rpo", VerificationStatus.OK),
                Map.entry("git rpo", VerificationStatus.OK),
                Map.entry("images rpo", VerificationStatus.OK)), s);
        VerificationRow stale = r.rows().stream().filter(x -> x.status() == VerificationStatus.STALE).findFirst()
                .orElseThrow();
        assertTrue(stale.evidence().contains("3h old (max 2h)"), stale.evidence());
    }

    @Test
    void noBackupAtAllIsMissing(TestWorkflowEnvironment testEnv, Worker worker) {
        freshSet(testEnv.currentTimeMillis());
        doReturn(List.of()).when(backups).listBackups(any());
        VerificationReport r = run(testEnv, worker);
        List<VerificationRow> stored = r.rows().stream().filter(x -> !x.kind().equals("git")
                && !x.kind().equals("images") && !x.check().equals("rpo")).toList();
        assertEquals(3, stored.size(), r.rows().toString());
        assertTrue(stored.stream().allMatch(x -> x.status() == VerificationStatus.MISSING), r.rows().toString());
        verify(backups, never()).verifyBackup(any());
        verify(sandbox, never()).testRestore(any());
    }

    @Test
    void aSnapshotThatDoesNotComeUpHealthyIsItsTestRestoreRow(TestWorkflowEnvironment testEnv, Worker worker) {
        freshSet(testEnv.currentTimeMillis());
        doAnswer(inv -> {
            TestRestoreRequest t = inv.getArgument(0);
            return new TestRestoreResult(t.manifest().objectKey(), false, t.sandboxName(), "sha256:1", 30_000,
                    List.of("http: FAILED 503"), "unhealthy after 30s");
        }).when(sandbox).testRestore(any());
        VerificationReport r = run(testEnv, worker);
        List<VerificationRow> bad = r.rows().stream().filter(x -> x.status() != VerificationStatus.OK).toList();
        assertEquals(1, bad.size(), r.rows().toString());
        assertEquals("state test-restore", bad.get(0).kind() + " " + bad.get(0).check());
        assertEquals(VerificationStatus.CORRUPT, bad.get(0).status());
        assertTrue(bad.get(0).evidence().contains("unhealthy after 30s [http: FAILED 503]"), bad.get(0).evidence());
    }

    @Test
    void aCorruptSnapshotIsNotTestRestored(TestWorkflowEnvironment testEnv, Worker worker) {
        freshSet(testEnv.currentTimeMillis());
        doAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m.kind() == BackupKind.STATE ? BackupFixtures.corrupt(m) : BackupFixtures.ok(m);
        }).when(backups).verifyBackup(any());
        VerificationReport r = run(testEnv, worker);
        List<VerificationRow> bad = r.rows().stream().filter(x -> x.status() != VerificationStatus.OK).toList();
        assertEquals(List.of("state integrity CORRUPT"), bad.stream().map(x -> x.kind() + " " + x.check() + " "
                + x.status()).toList());
        verify(sandbox, never()).testRestore(any());
    }

    @Test
    void eachRowNotOkIsToldAndEachOkRowResolvesWhatItsKeyMayHaveOpened(TestWorkflowEnvironment testEnv,
            Worker worker) {
        long now = testEnv.currentTimeMillis();
        freshSet(now);
        // state: the newest is 3 h old (max 2 h); artifacts: a flipped byte.
        doAnswer(inv -> {
            BackupKind kind = ((ListBackupsRequest) inv.getArgument(0)).kind();
            long newest = kind == BackupKind.STATE ? now - 3 * 3_600_000L : now - 60_000L;
            return List.of(BackupFixtures.manifest(kind, newest, "n"));
        }).when(backups).listBackups(any());
        doAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m.kind() == BackupKind.ARTIFACTS ? BackupFixtures.corrupt(m) : BackupFixtures.ok(m);
        }).when(backups).verifyBackup(any());

        VerificationReport r = run(testEnv, worker, FakeNotifications.withRoutes(BackupFixtures.plan(true)));

        assertTrue(failedExecution);
        assertEquals(2, r.rows().stream().filter(x -> x.status() != VerificationStatus.OK).count());
        List<Notice> sent = notifications.deliveries().stream().map(d -> d.notice()).toList();
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        // Delivered concurrently: in any order.
        assertEquals(java.util.Set.of("verification/roma/state/freshness backup-stale" + pager,
                "verification/roma/artifacts/integrity verification-failed" + pager),
                java.util.Set.copyOf(notifications.notices().stream().filter(n -> !n.contains(" resolved"))
                        .toList()));
        Notice stale = sent.stream().filter(n -> n.event() == NotifyEvent.BACKUP_STALE && !n.resolve()).findFirst()
                .orElseThrow();
        assertEquals("verification", stale.kind());
        assertTrue(stale.detail().contains("3h old (max 2h)"), stale.detail());
        // Every OK row resolves its key (deduplicating channels only: this run cannot know it was open); a NOT OK
        // row never does.
        List<String> resolved = notifications.notices().stream().filter(n -> n.contains(" resolved")).toList();
        assertTrue(resolved.contains("verification/roma/state/integrity verification-failed resolved" + pager),
                resolved.toString());
        assertTrue(resolved.contains("verification/roma/git/freshness-backup-1 backup-stale resolved" + pager),
                resolved.toString());
        assertTrue(resolved.stream().noneMatch(n -> n.startsWith("verification/roma/state/freshness ")
                || n.startsWith("verification/roma/artifacts/integrity ")), resolved.toString());
        assertTrue(sent.stream().filter(Notice::resolve).allMatch(n -> n.event() == NotifyEvent.BACKUP_STALE
                || n.event() == NotifyEvent.VERIFICATION_FAILED));
        // The report lists every delivery; the rows and the outcome are what they were.
        assertEquals(notifications.notices().size(),
                r.timeline().stream().filter(x -> x.outcome() == StepOutcome.NOTIFIED).count());
    }

    /** The git backup remote backup-2 and the backup registry in the failover region us-west-2. */
    private static RecoveryPlan planWithReplicaAndRegionalMirrors() {
        io.romadr.plan.GitRemote west = BackupFixtures.GIT.backups().get(1);
        io.romadr.plan.GitBackupSpec git = new io.romadr.plan.GitBackupSpec(BackupFixtures.GIT.primary(),
                List.of(BackupFixtures.GIT.backups().get(0), new io.romadr.plan.GitRemote(west.name(), west.url(),
                        west.usernameEnv(), west.passwordEnv(), null, null, "us-west-2")),
                false, null);
        io.romadr.plan.ImageBackupSpec i = BackupFixtures.IMAGES;
        io.romadr.plan.ImageBackupSpec images = new io.romadr.plan.ImageBackupSpec(i.primary(),
                new io.romadr.plan.RegistryEndpoint(i.backup().url(), null, null, "us-west-2"), i.repositories(),
                i.tags(), i.release(), i.keepPerFamily());
        return BackupFixtures.planWithReplica(git, images);
    }

    @Test
    void aFreshReplicaPasses(TestWorkflowEnvironment testEnv, Worker worker) {
        freshSet(testEnv.currentTimeMillis());
        VerificationReport r = run(testEnv, worker, planWithReplicaAndRegionalMirrors());
        assertTrue(r.allOk(), r.rows().toString());
        // the 21 rows of a fresh set, replica freshness and integrity per kind, git and images in us-west-2
        assertEquals(29, r.rows().size(), r.rows().toString());
        Map<String, VerificationStatus> s = statuses(r);
        for (String kind : List.of("state", "artifacts", "secrets")) {
            assertEquals(VerificationStatus.OK, s.get(kind + " replica freshness"), kind);
            assertEquals(VerificationStatus.OK, s.get(kind + " replica integrity"), kind);
        }
        assertEquals(VerificationStatus.OK, s.get("git replica us-west-2"));
        assertEquals(VerificationStatus.OK, s.get("images replica us-west-2"));
        // the replica's copy of the primary's newest backup is read back against the primary's manifest
        verify(backups).verifyBackup(argThat(ref -> ref.store().equals(BackupFixtures.REPLICA)
                && ref.manifest().kind() == BackupKind.STATE && ref.manifest().objectKey().contains("-new.")));
        assertTrue(r.rows().stream().filter(row -> row.check().equals("replica integrity"))
                .allMatch(row -> row.evidence().startsWith("s3://roma-backups-west/roma (us-west-2): ")),
                r.rows().toString());
    }

    @Test
    void aTamperedAMissingAndAStaleReplicaAreEachTheirRow(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        freshSet(now);
        doAnswer(inv -> {
            ListBackupsRequest req = inv.getArgument(0);
            BackupKind kind = req.kind();
            if (req.store().equals(BackupFixtures.REPLICA) && kind == BackupKind.SECRETS) {
                return List.of(BackupFixtures.manifest(kind, now - 30L * 24 * 3_600_000L, "ancient"));
            }
            return List.of(BackupFixtures.manifest(kind, now - 3 * 3_600_000L, "old"),
                    BackupFixtures.manifest(kind, now - 10 * 60_000L, "new"));
        }).when(backups).listBackups(any());
        doAnswer(inv -> {
            BackupRef ref = inv.getArgument(0);
            BackupManifest m = ref.manifest();
            if (!ref.store().equals(BackupFixtures.REPLICA)) {
                return BackupFixtures.ok(m);
            }
            return switch (m.kind()) {
                case STATE -> BackupFixtures.corrupt(m);
                case ARTIFACTS, SECRETS -> new VerifyResult(m.objectKey(), false, "missing object " + m.objectKey()
                        + " in s3://roma-backups-west/roma", null, 0, 0);
            };
        }).when(backups).verifyBackup(any());
        VerificationReport r = run(testEnv, worker, BackupFixtures.planWithReplica(BackupFixtures.GIT,
                BackupFixtures.IMAGES));
        Map<String, VerificationStatus> s = statuses(r);
        assertEquals(VerificationStatus.OK, s.get("state replica freshness"));
        assertEquals(VerificationStatus.CORRUPT, s.get("state replica integrity"));
        assertEquals(VerificationStatus.OK, s.get("artifacts replica freshness"));
        assertEquals(VerificationStatus.MISSING, s.get("artifacts replica integrity"));
        assertEquals(VerificationStatus.STALE, s.get("secrets replica freshness"));
        assertEquals(VerificationStatus.MISSING, s.get("secrets replica integrity"));
        assertEquals(VerificationStatus.MISSING, s.get("git replica us-west-2"));
        assertEquals(VerificationStatus.MISSING, s.get("images replica us-west-2"));
        // the primary's rows are untouched by the replica's faults
        assertEquals(VerificationStatus.OK, s.get("state integrity"));
        assertEquals(6, r.rows().stream().filter(row -> row.status() != VerificationStatus.OK).count(),
                r.rows().toString());
        assertTrue(r.summary().startsWith("6 of 29 checks NOT OK"), r.summary());
    }

    /**
     * The measured RPO: state's week has a 2 h interval (RPO 1 h: STALE with the figures), git's pushes were mirrored
     * within 40 s (RPO 0 "continuous", met by its 1 m slack), images measured nothing (MISSING, saying what to wire);
     * the request asks for the last seven days, the secrets' manifests in their own store.
     */
    @Test
    void eachKindsMeasuredLagIsItsRpoRow(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        freshSet(now);
        doAnswer(inv -> {
            LagSummaryRequest q = inv.getArgument(0);
            return switch (q.kind()) {
                case "state" -> new LagSummary("roma", "state", LagSummary.INTERVAL, q.since(), 168, 3_600_000L,
                        3_605_000L, 7_200_000L, 3_600_000L, now);
                case "git" -> new LagSummary("roma", "git", LagSummary.EVENTS, q.since(), 50, 3_000, 40_000, 40_000,
                        2_000, now);
                case "images" -> LagSummary.none("roma", "images", LagSummary.INTERVAL, q.since());
                default -> new LagSummary("roma", q.kind(), LagSummary.INTERVAL, q.since(), 7, 3_600_000L,
                        3_600_000L, 3_600_000L, 3_600_000L, now);
            };
        }).when(lags).lagSummary(any());

        VerificationReport r = run(testEnv, worker);

        Map<String, VerificationRow> rpo = r.rows().stream().filter(x -> x.check().equals("rpo"))
                .collect(Collectors.toMap(VerificationRow::kind, x -> x));
        assertEquals(List.of("state", "artifacts", "secrets", "git", "images"), r.rows().stream()
                .filter(x -> x.check().equals("rpo")).map(VerificationRow::kind).toList());
        assertEquals(VerificationStatus.STALE, rpo.get("state").status());
        assertEquals("168 intervals in 7d: p50 1h, p99 1h, max 2h (RPO 1h + 1m00s slack)",
                rpo.get("state").evidence());
        assertEquals(VerificationStatus.OK, rpo.get("artifacts").status());
        assertEquals(VerificationStatus.OK, rpo.get("secrets").status());
        assertEquals(VerificationStatus.OK, rpo.get("git").status());
        assertEquals("50 events in 7d: p50 3.0s, p99 40.0s, max 40.0s (RPO 0s + 1m00s slack)",
                rpo.get("git").evidence());
        assertEquals(VerificationStatus.MISSING, rpo.get("images").status());
        assertTrue(rpo.get("images").evidence().contains("registry's notifications"), rpo.get("images").evidence());
        assertEquals(2, r.rows().stream().filter(x -> x.status() != VerificationStatus.OK).count(),
                r.rows().toString());
        long week = 7 * 86_400_000L;
        verify(lags).lagSummary(argThat(q -> q.kind().equals("secrets") && q.since() >= now - week
                && q.since() <= r.finishedAt() - week && q.store().equals(BackupFixtures.STORE)
                && q.manifestsStore().equals(BackupFixtures.plan(true).backup().secretsStore())));
    }
}
