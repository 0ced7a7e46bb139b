package io.romadr.scenario.datacorruption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.FileDigest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.ArtifactRecoverySpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.CommandStep;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import io.romadr.report.StepOutcome;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scenario 2's workflow logic with mocked activities (the real ones run on the Docker engine elsewhere). */
class DataCorruptionRecoveryWorkflowTest {
    static final BackupStore STORE = new BackupStore("file:///var/backups/roma-dr", null, null, null);
    static final List<String> FILES = IntStream.range(0, 10).mapToObj(i -> "run-" + i + ".json").toList();

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(DataCorruptionRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final DataRecoveryActivities data = mock(DataRecoveryActivities.class, withSettings().withoutAnnotations());
    private final BackupActivities backups = mock(BackupActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities service = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    static RecoveryPlan plan(String restore, List<CommandStep> regenerate) {
        ServiceSpec svc = new ServiceSpec("roma", List.of(new ServiceContainer("roma", null)),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        ArtifactBackupSpec artifacts = new ArtifactBackupSpec("roma", "/app/out", List.of("*.json"),
                new ArtifactRecoverySpec("pipeline", "schemas/run.json", restore, null, regenerate));
        BackupSpec backup = new BackupSpec(STORE, null, artifacts, null, null, null, null, null, null);
        return new RecoveryPlan("roma", "test", svc, new RtoTargets(Duration.ofMinutes(15), null, null, null, null),
                null, null, backup, null, null, null);
    }

    static BackupManifest manifest(long createdAt, String id) {
        return new BackupManifest(BackupManifest.FORMAT, BackupKind.ARTIFACTS, "roma",
                BackupKeys.objectKey(BackupKind.ARTIFACTS, "roma", createdAt, id), "ab".repeat(32), 100, 10, 1000,
                "roma-roma-1:/app/out", createdAt, "wf-" + id,
                FILES.stream().map(f -> new FileDigest(f, 10, "cd".repeat(32))).toList(), List.of(), List.of());
    }

    static ArtifactCheck invalid(int n) {
        return new ArtifactCheck(FILES.size(), FILES.subList(0, n).stream()
                .map(f -> new ArtifactCheck.InvalidArtifact(f, "line 1, column 9: Unexpected end-of-input")).toList());
    }

    private DataRecoveryReport run(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        DataCorruptionRecoveryWorkflow wf = prepare(testEnv, worker, plan);
        try {
            return wf.recover(request());
        } finally {
            writeHistory(testEnv);
        }
    }

    private static DataRecoveryRequest request() {
        return new DataRecoveryRequest("roma", "junit", "alert: bad JSON");
    }

    private DataCorruptionRecoveryWorkflow prepare(TestWorkflowEnvironment testEnv, Worker worker,
            RecoveryPlan plan) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        when(plans.loadPlan("roma")).thenReturn(plan);
        when(data.stopProducer(any())).thenReturn(new ActionResult(true, "pipeline stopped", 1));
        when(data.startProducer(any())).thenReturn(new ActionResult(true, "pipeline started", 1));
        when(data.quarantine(any())).thenAnswer(inv -> {
            QuarantineRequest q = inv.getArgument(0);
            return new QuarantineResult(q.objectKey(), q.files().isEmpty() ? FILES : q.files(), "ef".repeat(32), 99);
        });
        worker.registerActivitiesImplementations(plans, data, backups, service);
        testEnv.start();
        DataCorruptionRecoveryWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(
                DataCorruptionRecoveryWorkflow.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName).build());
        return wf;
    }

    private void writeHistory(TestWorkflowEnvironment testEnv) {
        try {
            Path dir = Path.of("target", "histories");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("data-recovery-" + testName + ".json"),
                    testEnv.getWorkflowClient().fetchHistory("wf-" + testName).toJson(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void localizedCorruptionRestoresOnlyTheBrokenFilesFromTheNewestCleanBackup(TestWorkflowEnvironment testEnv,
            Worker worker) {
        long now = testEnv.currentTimeMillis();
        BackupManifest newest = manifest(now - 3_600_000L, "newest");
        BackupManifest older = manifest(now - 5 * 3_600_000L, "older");
        when(data.validateArtifacts(any())).thenReturn(invalid(2), new ArtifactCheck(10, List.of()));
        when(backups.listBackups(any())).thenReturn(List.of(older, newest));
        // The newest backup is itself corrupt: its checksum does not hold.
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return m == newest || m.objectKey().equals(newest.objectKey())
                    ? new VerifyResult(m.objectKey(), false, "sha256 mismatch", "00", 1, 0)
                    : new VerifyResult(m.objectKey(), true, "", m.sha256(), m.sizeBytes(), m.entries());
        });
        when(data.validateBackup(any())).thenReturn(new ArtifactCheck(10, List.of()));
        when(backups.restoreArchive(any())).thenAnswer(inv -> new RestoreResult(older.objectKey(), "/srv/out", 2, 20,
                FILES.subList(0, 2), "restored 2 file(s)"));

        DataRecoveryReport r = run(testEnv, worker, plan("corrupted", List.of()));
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(Corruption.LOCALIZED, r.corruption().extent());
        assertEquals(older.objectKey(), r.backupUsed());
        assertEquals(List.of(newest.objectKey() + ": sha256 mismatch"), r.rejectedBackups());
        verify(backups).restoreArchive(argThat(q -> q.only().equals(FILES.subList(0, 2))
                && q.manifest().objectKey().equals(older.objectKey())));
        verify(data).quarantine(argThat(q -> q.files().equals(FILES.subList(0, 2))
                && q.objectKey().startsWith("quarantine/roma/")));
        verify(data).stopProducer(argThat(p -> p.service().equals("pipeline")));
        verify(data).startProducer(any());
        assertTrue(r.provenance().get(0).startsWith("run-0.json: restored from " + older.objectKey()),
                r.provenance().toString());
        assertTrue(r.summary().contains("data loss 5h against an RPO of 1d (met)"), r.summary());
    }

    @Test
    void widespreadCorruptionSkipsABackupWhoseOwnFilesAreBroken(TestWorkflowEnvironment testEnv, Worker worker) {
        long now = testEnv.currentTimeMillis();
        BackupManifest newest = manifest(now - 3_600_000L, "newest");
        BackupManifest older = manifest(now - 30 * 3_600_000L, "older");
        when(data.validateArtifacts(any())).thenReturn(invalid(8), new ArtifactCheck(10, List.of()));
        when(backups.listBackups(any())).thenReturn(List.of(newest, older));
        when(backups.verifyBackup(any())).thenAnswer(inv -> {
            BackupManifest m = ((BackupRef) inv.getArgument(0)).manifest();
            return new VerifyResult(m.objectKey(), true, "", m.sha256(), m.sizeBytes(), m.entries());
        });
        when(data.validateBackup(argThat(v -> v != null && v.manifest().objectKey().equals(newest.objectKey()))))
                .thenReturn(invalid(1));
        when(data.validateBackup(argThat(v -> v != null && v.manifest().objectKey().equals(older.objectKey()))))
                .thenReturn(new ArtifactCheck(10, List.of()));
        when(backups.restoreArchive(any())).thenAnswer(inv -> new RestoreResult(older.objectKey(), "/srv/out", 10,
                100, List.of(), "restored 10 entries"));

        DataRecoveryReport r = run(testEnv, worker, plan("all", List.of()));
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(Corruption.WIDESPREAD, r.corruption().extent());
        assertEquals(List.of(newest.objectKey() + ": itself invalid: run-0.json"), r.rejectedBackups());
        verify(backups).restoreArchive(argThat(q -> q.only().isEmpty()));
        verify(data).quarantine(argThat(q -> q.files().isEmpty()));
        // 30 h old against the 24 h RPO: said plainly.
        assertTrue(r.summary().contains("data loss 1d06h against an RPO of 1d (MISSED)"), r.summary());
    }

    @Test
    void noBackupAtAllRegenerates(TestWorkflowEnvironment testEnv, Worker worker) {
        when(data.validateArtifacts(any())).thenReturn(invalid(3), new ArtifactCheck(10, List.of()));
        when(backups.listBackups(any())).thenReturn(List.of());
        when(service.runCommand(any())).thenReturn(new ActionResult(true, "pipeline: exit 0", 1));
        CommandStep pipeline = new CommandStep("pipeline", List.of("pnpm", "roma:pipeline"), "/srv/roma", null, null);

        DataRecoveryReport r = run(testEnv, worker, plan("corrupted", List.of(pipeline)));
        assertEquals(Outcome.RECOVERED, r.outcome());
        verify(service).runCommand(pipeline);
        verify(backups, never()).restoreArchive(any());
        assertEquals(List.of("all artifacts: regenerated by pipeline"), r.provenance());
        assertTrue(r.summary().startsWith("Regenerated the artifacts"), r.summary());
    }

    @Test
    void noBackupAndNoRegenerateFailsWithTheProducerStoppedAndTheOriginalsKept(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(data.validateArtifacts(any())).thenReturn(invalid(3));
        when(backups.listBackups(any())).thenReturn(List.of());
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> run(testEnv, worker, plan("corrupted", List.of())));
        DataRecoveryReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(DataRecoveryReport.class);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.summary().contains("the originals are kept in quarantine/roma/"), r.summary());
        verify(data, never()).startProducer(any());
    }

    @Test
    void cleanArtifactsChangeNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        when(data.validateArtifacts(any())).thenReturn(new ArtifactCheck(10, List.of()));
        DataRecoveryReport r = run(testEnv, worker, plan("corrupted", List.of()));
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertEquals(Corruption.NONE, r.corruption().extent());
        verify(data, never()).quarantine(any());
        verify(backups, never()).listBackups(any());
        verify(data).startProducer(any());
    }

    @Test
    void theProgressQueryShowsTheRtoBreachWhileAStepStillRuns(TestWorkflowEnvironment testEnv, Worker worker)
            throws Exception {
        RecoveryPlan quick = plan("corrupted", List.of());
        RecoveryPlan plan = new RecoveryPlan(quick.name(), quick.description(), quick.service(),
                new RtoTargets(Duration.ofMinutes(15), Duration.ofSeconds(1), null, null, null), null, null,
                quick.backup(), null, null, null);
        CountDownLatch breachSeen = new CountDownLatch(1);
        // The identify step is still running when the one-second budget is spent.
        when(data.validateArtifacts(any())).thenAnswer(inv -> {
            assertTrue(breachSeen.await(20, TimeUnit.SECONDS), "the test never saw the breach");
            return new ArtifactCheck(10, List.of());
        });
        DataCorruptionRecoveryWorkflow wf = prepare(testEnv, worker, plan);
        WorkflowClient.start(wf::recover, request());
        StepRecord breach = null;
        Instant deadline = Instant.now().plusSeconds(20);
        while (breach == null && Instant.now().isBefore(deadline)) {
            DataRecoveryReport p = wf.progress();
            breach = p == null
                    ? null
                    : p.timeline().stream().filter(s -> s.outcome() == StepOutcome.BREACH)
                            .findFirst().orElse(null);
            if (breach == null) {
                Thread.sleep(50);
            }
        }
        assertNotNull(breach, "the progress query never showed the breach");
        assertEquals("rto-breached", breach.step());
        DataRecoveryReport running = wf.progress();
        assertEquals(Outcome.RUNNING, running.outcome());
        assertEquals("identify", running.timeline().get(running.timeline().size() - 2).step());
        breachSeen.countDown();
        DataRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(DataRecoveryReport.class);
        writeHistory(testEnv);
        assertEquals(Outcome.RECOVERED, r.outcome());
        assertTrue(r.rtoBreached());
    }
}
