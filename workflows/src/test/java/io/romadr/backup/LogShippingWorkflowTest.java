package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.LogBackupSpec;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mockito.ArgumentCaptor;

/** The log shipping workflow's cut-offs, lag and retention with mocked activities (the shipping is tested on Docker). */
class LogShippingWorkflowTest {
    private static final long PREVIOUS = 1_700_000_000_000L;

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(LogShippingWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final LogShippingActivities logs = mock(LogShippingActivities.class, withSettings().withoutAnnotations());
    private final BackupLagActivities lags = mock(BackupLagActivities.class, withSettings().withoutAnnotations());
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    static RecoveryPlan plan(List<String> services) {
        RecoveryPlan p = BackupFixtures.plan(true);
        BackupSpec b = p.backup();
        BackupSpec backup = new BackupSpec(b.store(), b.state(), b.artifacts(), b.secrets(), b.retention(),
                b.schedule(), b.verification(), b.git(), b.images(), null,
                new LogBackupSpec(services, Duration.ofDays(30), Duration.ofDays(7)));
        return new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(), p.recovery(), backup,
                p.site(), p.contacts(), p.notifications());
    }

    private LogShippingWorkflow start(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        when(logs.pruneLogs(any())).thenReturn(new PrunedLogs(2));
        worker.registerActivitiesImplementations(plans, logs, lags);
        testEnv.start();
        return testEnv.getWorkflowClient().newWorkflowStub(LogShippingWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
    }

    /** What the activity would store for the request: 42 lines. */
    private void shipsFortyTwoLines() {
        when(logs.shipLogs(any())).thenAnswer(inv -> {
            ShipLogsRequest r = inv.getArgument(0);
            String key = LogKeys.objectKey(r.plan(), r.service(), r.from(), r.to());
            return new ShippedLogs(new LogManifest(LogManifest.FORMAT, r.plan(), r.service(), r.from(), r.to(), key,
                    "ab".repeat(32), 900, 42, "", "", List.of("roma-roma-1"), r.to(), r.workflowId()), false, 1);
        });
    }

    @Test
    void aRunResumesAtTheLastShippedCutoffAndRecordsTheLagAndPrunes(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(logs.lastLogCutoff(any())).thenReturn(new LogCutoff("roma", PREVIOUS, "logs/roma/roma/x.log.gz"));
        shipsFortyTwoLines();
        long before = testEnv.currentTimeMillis();
        LogShippingReport r = start(testEnv, worker, plan(List.of())).ship(new BackupRequest("roma", "junit"));
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "logs-" + testName);
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        ArgumentCaptor<ShipLogsRequest> ship = ArgumentCaptor.forClass(ShipLogsRequest.class);
        verify(logs).shipLogs(ship.capture());
        ShipLogsRequest req = ship.getValue();
        // Exactly from where the store's logs end, so nothing is shipped twice or skipped.
        assertEquals(PREVIOUS, req.from());
        assertEquals("roma", req.project());
        assertEquals("roma", req.service());
        // The cut-off is the run's start minus the safety margin.
        assertTrue(req.to() >= before - LogShippingWorkflowImpl.SAFETY_MARGIN.toMillis() - 1000
                && req.to() <= testEnv.currentTimeMillis() - LogShippingWorkflowImpl.SAFETY_MARGIN.toMillis(),
                req.to() + " vs " + before);
        assertEquals(req.to(), r.cutoff());
        assertEquals(42, r.services().get(0).lines());
        ArgumentCaptor<RecordLagRequest> lag = ArgumentCaptor.forClass(RecordLagRequest.class);
        verify(lags).recordLag(lag.capture());
        assertEquals("logs", lag.getValue().kind());
        LagSample sample = lag.getValue().samples().get(0);
        assertEquals(PREVIOUS, sample.eventAt());
        assertTrue(sample.committedAt() >= req.to(), sample.toString());
        ArgumentCaptor<PruneLogsRequest> prune = ArgumentCaptor.forClass(PruneLogsRequest.class);
        verify(logs).pruneLogs(prune.capture());
        assertEquals(req.to() - Duration.ofDays(30).toMillis(), prune.getValue().endedBefore());
        assertEquals(List.of("roma"), prune.getValue().services());
        assertEquals(2, r.pruned());
        assertTrue(r.summary().contains("Shipped 42 log line(s)"), r.summary());
    }

    @Test
    void theFirstRunEverReachesBackTheBackfillAndRecordsNoLag(TestWorkflowEnvironment testEnv, Worker worker) {
        when(logs.lastLogCutoff(any())).thenReturn(new LogCutoff("roma", 0, ""));
        shipsFortyTwoLines();
        LogShippingReport r = start(testEnv, worker, plan(List.of("roma"))).ship(new BackupRequest("roma", "junit"));
        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary());
        AtomicReference<ShipLogsRequest> req = new AtomicReference<>();
        verify(logs).shipLogs(org.mockito.ArgumentMatchers.argThat(q -> {
            req.set(q);
            return true;
        }));
        assertEquals(Duration.ofDays(7).toMillis(), req.get().to() - req.get().from());
        verify(lags, never()).recordLag(any());
    }

    @Test
    void aServiceThatCannotBeShippedFailsTheRunWithItsReportAfterPruning(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(logs.lastLogCutoff(any())).thenReturn(new LogCutoff("roma", PREVIOUS, ""));
        when(logs.shipLogs(any())).thenThrow(ApplicationFailure.newNonRetryableFailure(
                "container roma-roma-1 logs to \"syslog\"", "UnreadableLogDriver"));
        LogShippingWorkflow wf = start(testEnv, worker, plan(List.of()));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.ship(new BackupRequest("roma", "junit")));
        LogShippingReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(LogShippingReport.class);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.services().get(0).problem().contains("syslog"), r.services().toString());
        assertTrue(r.summary().startsWith("1 of 1 service(s) not shipped"), r.summary());
        verify(logs).pruneLogs(any());
        verify(lags, never()).recordLag(any());
    }

    @Test
    void aServiceNotInThePlanFailsAtPlanCheckAndShipsNothing(TestWorkflowEnvironment testEnv, Worker worker) {
        LogShippingWorkflow wf = start(testEnv, worker, plan(List.of("web")));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> wf.ship(new BackupRequest("roma", "junit")));
        LogShippingReport r = assertInstanceOf(ApplicationFailure.class, e.getCause()).getDetails()
                .get(LogShippingReport.class);
        assertTrue(r.summary().contains("\"web\", which is not a service of the plan [roma]"), r.summary());
        verify(logs, never()).shipLogs(any());
    }
}
