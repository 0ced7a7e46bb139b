package io.romadr.scenario.servicefailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.PlanActivities;
import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.Progress;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 1's RTO clock starts at the incident: the earlier of the alert's detection time and the request (the
 * workflow's start), never at the worker's first step. On the SDK's time-skipping test server, which does not skip
 * time while a recovery waits in a task queue no worker polls.
 */
class ServiceRecoveryClockTest {
    /** Real time: the test server does not skip time while a workflow task waits for a worker. */
    private static final Duration QUEUED = Duration.ofSeconds(3);

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private String testName;

    @BeforeEach
    void restartHeals(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        when(svc.assess(any())).thenReturn(Fixtures.exited());
        when(svc.restart(any())).thenReturn(Fixtures.done("restarted roma"));
        when(svc.waitHealthy(any())).thenReturn(Fixtures.healthy());
        when(svc.check(any())).thenReturn(Fixtures.healthy());
        when(svc.watch(any())).thenAnswer(inv -> Fixtures.watched(inv.getArgument(0)));
    }

    private ServiceRecoveryWorkflow stub(TestWorkflowEnvironment testEnv, Worker worker, Duration rto) {
        ServiceRecoveryWorkflowTest.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(Fixtures.plan(rto, Duration.ZERO, List.of()));
        worker.registerActivitiesImplementations(plans, svc, new FakeNotifications());
        return testEnv.getWorkflowClient().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-clock").build());
    }

    private ServiceRecoveryReport run(TestWorkflowEnvironment testEnv, Worker worker, Duration rto,
            String detectedAt) {
        ServiceRecoveryWorkflow wf = stub(testEnv, worker, rto);
        testEnv.start();
        ServiceRecoveryReport r = wf.recover(new ServiceRecoveryRequest("roma", "alert", "alertmanager", detectedAt));
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory("wf-clock"), testName);
        return r;
    }

    @Test
    void aRecoveryThatWaitedForAWorkerCountsTheWaitAndBreachesAShortRto(TestWorkflowEnvironment testEnv,
            Worker worker) {
        ServiceRecoveryWorkflow wf = stub(testEnv, worker, Duration.ofSeconds(2));
        // Requested while no worker polls the task queue (the workers start with the environment).
        WorkflowClient.start(wf::recover, new ServiceRecoveryRequest("roma", "operator", "junit"));
        testEnv.sleep(QUEUED);
        testEnv.start();
        ServiceRecoveryReport r = WorkflowStub.fromTyped(wf).getResult(ServiceRecoveryReport.class);
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory("wf-clock"), testName);

        assertEquals(Outcome.RECOVERED, r.outcome());
        IncidentTimes incident = r.incident();
        assertNotNull(incident);
        assertNull(incident.detectedAt(), "no detection time was given");
        assertTrue(incident.queueWaitMillis() >= QUEUED.toMillis(), "queue wait " + incident.queueWaitMillis());
        assertEquals(incident.requestedAt(), r.startedAt(), "the clock starts at the request");
        assertTrue(r.rtoActualMillis() >= QUEUED.toMillis(), "RTO actual " + r.rtoActualMillis());
        // 3 seconds in the queue spent the 2-second budget before the first step: a breach at once.
        assertTrue(r.rtoBreached());
        assertEquals(StepOutcome.BREACH, r.timeline().stream().filter(s -> s.step().equals("rto-breached"))
                .findFirst().orElseThrow().outcome());
        assertTrue(r.summary().contains("RTO BREACHED"), r.summary());

        Progress progress = wf.progress();
        assertEquals(incident, progress.incident(), "the progress query shows the queue wait");
        assertEquals(r.startedAt(), progress.startedAt());

        String md = ReportFormatter.markdown(r);
        assertTrue(md.contains("| First step | "), md);
        assertTrue(md.contains(ReportFormatter.clock(incident.queueWaitMillis()) + " (queue wait)"), md);
        assertTrue(md.contains("- **RTO clock from:** " + ReportFormatter.time(r.startedAt()) + " (the request)"),
                md);
    }

    @Test
    void anAlertThatStartedEarlierCountsFromItsStartsAt(TestWorkflowEnvironment testEnv, Worker worker) {
        long startsAt = testEnv.currentTimeMillis() - Duration.ofMinutes(3).toMillis();

        ServiceRecoveryReport r = run(testEnv, worker, Duration.ofMinutes(2),
                Instant.ofEpochMilli(startsAt).toString());

        IncidentTimes incident = r.incident();
        assertEquals(startsAt, incident.detectedAt());
        assertEquals(startsAt, r.startedAt(), "the clock starts at the alert's startsAt");
        assertEquals("", incident.note());
        assertTrue(r.rtoActualMillis() >= Duration.ofMinutes(3).toMillis(), "RTO actual " + r.rtoActualMillis());
        assertTrue(r.rtoBreached(), "the alert fired 3 minutes before the request: a 2-minute RTO is spent");
        String md = ReportFormatter.markdown(r);
        assertTrue(md.contains("| Detected | " + ReportFormatter.time(startsAt) + " |"), md);
        assertTrue(md.contains("(the incident's detection)"), md);
    }

    @Test
    void aDetectionTimeAfterTheRequestCountsFromTheRequestAndSaysSo(TestWorkflowEnvironment testEnv,
            Worker worker) {
        String skewed = Instant.ofEpochMilli(testEnv.currentTimeMillis() + Duration.ofHours(1).toMillis()).toString();

        ServiceRecoveryReport r = run(testEnv, worker, Duration.ofMinutes(15), skewed);

        IncidentTimes incident = r.incident();
        assertNull(incident.detectedAt());
        assertEquals(incident.requestedAt(), r.startedAt());
        assertTrue(incident.note().contains("clock skew"), incident.note());
        assertFalse(r.rtoBreached());
        assertTrue(ReportFormatter.markdown(r).contains("Note: " + incident.note()));
    }
}
