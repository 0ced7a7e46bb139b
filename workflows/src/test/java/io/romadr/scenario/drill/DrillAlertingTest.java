package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.notify.NotifyEvent;
import io.romadr.plan.PlanActivities;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.temporal.WorkflowInputs;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An alerting drill of Scenario 1: the drill injects the fault and starts no recovery; a fake stands for the Temporal
 * server on which the webhook started one (the real one: {@code TriggeredRecoveries}, tested with Alertmanager in the
 * worker module).
 */
class DrillAlertingTest {
    static final Duration ALERT_AFTER = Duration.ofSeconds(20);
    static final Duration STARTED_AFTER = Duration.ofSeconds(21);

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(DrillWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final ServiceActivities svc = mock(ServiceActivities.class, withSettings().withoutAnnotations());
    private final DrillWorkflowTest.FakeDrill drill = new DrillWorkflowTest.FakeDrill();
    private final FakeTriggered triggered = new FakeTriggered();
    private final FakeNotifications notifications = new FakeNotifications();
    private String testName = "unnamed";

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        when(plans.loadPlan("roma")).thenReturn(DrillWorkflowTest.plan());
    }

    /** The server as the webhook left it: a recovery started by {@code source} after the fault, or none. */
    static final class FakeTriggered implements TriggeredRecoveryActivities {
        final List<AwaitTriggerRequest> waits = new ArrayList<>();
        final List<AwaitReportRequest> followed = new ArrayList<>();
        boolean started = true;
        /** With nothing started: a run that started before the fault still runs. */
        boolean earlierRunning;
        String source = "alertmanager";

        @Override
        public TriggeredRecovery awaitTriggeredRecovery(AwaitTriggerRequest request) {
            waits.add(request);
            if (!started) {
                return earlierRunning
                        ? TriggeredRecovery.earlierRunning("roma-dr-service-failure-roma", "run-0",
                                request.sinceMillis() - 60_000)
                        : TriggeredRecovery.none();
            }
            long alertAt = request.sinceMillis() + ALERT_AFTER.toMillis();
            return new TriggeredRecovery(true, "roma-dr-service-failure-roma", "run-1",
                    request.sinceMillis() + STARTED_AFTER.toMillis(), source, "alert 3f2a", "2026-12-07T06:00:20Z",
                    alertAt, "RomaDown: roma is down");
        }

        @Override
        public ServiceRecoveryReport awaitServiceRecoveryReport(AwaitReportRequest request) {
            followed.add(request);
            long started = waits.get(0).sinceMillis() + STARTED_AFTER.toMillis();
            List<StepRecord> steps = List.of(
                    new StepRecord("trigger-firing", 0, started, started, 1, StepOutcome.OK,
                            "alertmanager alert 3f2a at 2026-12-07T06:00:20Z: RomaDown: roma is down"),
                    new StepRecord("restart", 1, started + 1000, started + 5000, 1, StepOutcome.OK, "restarted roma"));
            return new ServiceRecoveryReport(request.workflowId(), "service-failure", "roma", "RomaDown",
                    Outcome.RECOVERED,
                    started, started + 60_000, Duration.ofMinutes(15).toMillis(), 30_000L, false, null, 0, steps,
                    "Recovered by restart in 0:30 against an RTO of 15:00 (RTO met).", null);
        }
    }

    private DrillReport run(TestWorkflowEnvironment testEnv, Worker worker, DrillRequest request) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        worker.registerActivitiesImplementations(plans, svc, drill, triggered, notifications);
        testEnv.start();
        DrillWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(DrillWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue())
                        .setWorkflowId(DrillWorkflowTest.WORKFLOW_ID).build());
        WorkflowClient.start(wf::drill, request);
        try {
            return WorkflowStub.fromTyped(wf).getResult(DrillReport.class);
        } catch (WorkflowFailedException e) {
            return RunFailure.reportOf(e, DrillReport.class);
        } finally {
            HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory(DrillWorkflowTest.WORKFLOW_ID),
                    "drill-alerting-" + testName);
        }
    }

    private static DrillRequest alerting(Duration alertTimeout) {
        return new DrillRequest("roma", "service-failure", "kill", "", "carol", "olga", "oscar", "mia", null,
                Duration.ofMinutes(1), "junit", true, alertTimeout);
    }

    private static TimelineRow row(DrillReport r, String action) {
        return r.timeline().stream().filter(t -> t.action().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + action + " in " + r.timeline()));
    }

    @Test
    void theRecoveryTheAlertStartedIsFollowedAndTheDelaysAreRows(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillReport r = run(testEnv, worker, alerting(null));

        assertEquals(Boolean.TRUE, r.success(), r.summary() + " " + r.issues());
        assertTrue(r.summary().contains("started by its alert"), r.summary());
        assertEquals("roma-dr-service-failure-roma", r.recoveryWorkflowId());
        verifyNoInteractions(svc); // the drill started no recovery of its own
        assertEquals(1, drill.injected.size());
        assertEquals(1, triggered.waits.size());
        var wait = triggered.waits.get(0);
        assertEquals("roma", wait.plan());
        assertEquals("service-failure", wait.scenario());
        // The default wait: 10 minutes from the fault (the fault is a moment after the since it is measured from).
        long waited = wait.deadlineMillis() - wait.sinceMillis();
        assertTrue(waited >= Duration.ofMinutes(10).toMillis() && waited < Duration.ofMinutes(11).toMillis(),
                waited + "");
        assertEquals(List.of(new TriggeredRecoveryActivities.AwaitReportRequest("roma-dr-service-failure-roma",
                "run-1")), triggered.followed);

        TimelineRow firing = row(r, "fault -> alert firing");
        TimelineRow alertToStart = row(r, "alert -> recovery started");
        TimelineRow faultToStart = row(r, "fault -> recovery started");
        for (TimelineRow delay : List.of(firing, alertToStart, faultToStart)) {
            assertEquals("alerting", delay.phase());
            assertTrue(delay.result().startsWith("Success: "), delay.result());
        }
        // Measured from when the drill began injecting (the fake's times are from that "since").
        assertEquals(ALERT_AFTER.toMillis(), firing.durationMillis());
        assertEquals(STARTED_AFTER.minus(ALERT_AFTER).toMillis(), alertToStart.durationMillis());
        assertEquals(wait.sinceMillis() - r.startedAt(), firing.atMillis());
        assertEquals(firing.durationMillis() + alertToStart.durationMillis(), faultToStart.durationMillis());
        assertEquals(firing.atMillis() + firing.durationMillis(), alertToStart.atMillis());
        assertTrue(firing.result().contains("RomaDown: roma is down firing at 2026-12-07T06:00:20Z"),
                firing.result());
        assertTrue(alertToStart.result().contains("alertmanager started roma-dr-service-failure-roma"),
                alertToStart.result());
        // The RTO runs from the fault: the alerting delay is part of it.
        long slack = 2_000; // the RTO's fault is taken when the injection returned
        assertTrue(Math.abs(r.rtoActualMillis() - (STARTED_AFTER.toMillis() + 30_000)) < slack,
                r.rtoActualMillis() + "");
        assertEquals("Success: recovery roma-dr-service-failure-roma started by alertmanager (RomaDown: roma is down)",
                row(r, "await-alert").result());
        assertEquals("recovery", row(r, "restart").phase());
        assertEquals("recovery", row(r, "trigger-firing").phase());
        assertTrue(r.issues().isEmpty(), r.issues().toString());
        // The report's pages: the delays in the Markdown timeline, the alert marked and the phase drawn in the HTML.
        String markdown = DrillReportFormatter.markdown(r);
        assertTrue(markdown.contains("fault -> alert firing") && markdown.contains("alert -> recovery started"),
                markdown);
        String html = DrillReportHtml.render(r);
        assertTrue(html.contains("class=\"marker alert\""), "the alert's marker");
        assertTrue(html.contains("data-phase=\"alerting\""), "the alerting phase's bar");
    }

    @Test
    void theTeamIsToldBeforeTheFaultThatTheAlertsRecoveryWillPage(TestWorkflowEnvironment testEnv, Worker worker) {
        when(plans.loadPlan("roma")).thenReturn(FakeNotifications.withRoutes(DrillWorkflowTest.plan()));

        DrillReport r = run(testEnv, worker, alerting(null));

        assertEquals(Boolean.TRUE, r.success(), r.issues().toString());
        var started = notifications.deliveries().stream()
                .filter(d -> d.notice().event() == NotifyEvent.DRILL_STARTED).findFirst()
                .orElseThrow();
        assertTrue(started.notice().detail().contains("An alerting drill: the drill starts no recovery, the alert"
                + " does, and that recovery tells and pages as in an outage."), started.notice().detail());
    }

    @Test
    void noRecoveryWithinTheAlertTimeoutFailsTheDrillAndStartsNone(TestWorkflowEnvironment testEnv, Worker worker) {
        triggered.started = false;
        drill.verifies = false;

        DrillReport r = run(testEnv, worker, alerting(Duration.ofMinutes(3)));

        assertEquals(Boolean.FALSE, r.success());
        assertNull(r.rtoActualMillis());
        verifyNoInteractions(svc);
        assertTrue(triggered.followed.isEmpty());
        long waited = triggered.waits.get(0).deadlineMillis() - triggered.waits.get(0).sinceMillis();
        assertTrue(waited >= Duration.ofMinutes(3).toMillis() && waited < Duration.ofMinutes(4).toMillis(),
                waited + "");
        assertTrue(r.summary().startsWith("Drill failed: the alert did not fire / the webhook did not start a"
                + " recovery within 3m"), r.summary());
        assertTrue(r.issues().get(0).startsWith("The alert did not fire / the webhook did not start a recovery"
                + " within 3m of the fault"), r.issues().toString());
        assertTrue(r.issues().get(0).contains("roma-dr recover service --plan roma"), r.issues().toString());
        assertTrue(row(r, "await-alert").result().startsWith("Success: no recovery roma-dr-service-failure-roma"
                + " started within 3m"), row(r, "await-alert").result());
        assertTrue(r.timeline().stream().noneMatch(t -> t.phase().equals("alerting") && t.action().contains("->")),
                r.timeline().toString());
        assertEquals("drill-test-recovery", r.recoveryWorkflowId());
    }

    @Test
    void aRecoveryRunningSinceBeforeTheFaultIsNamedWhenNoneStartsAfterIt(TestWorkflowEnvironment testEnv,
            Worker worker) {
        triggered.started = false;
        triggered.earlierRunning = true;
        drill.verifies = false;

        DrillReport r = run(testEnv, worker, alerting(Duration.ofMinutes(3)));

        assertEquals(Boolean.FALSE, r.success());
        assertTrue(triggered.followed.isEmpty(), "a recovery from before the drill is not the drill's");
        assertTrue(r.issues().get(0).contains("one started before the fault was still running, and an alert"
                + " attaches to that one"), r.issues().toString());
    }

    @Test
    void aRecoveryNotStartedByAnAlertFailsTheDrillThoughTheServiceRecovered(TestWorkflowEnvironment testEnv,
            Worker worker) {
        triggered.source = "cli";

        DrillReport r = run(testEnv, worker, alerting(null));

        assertEquals(Boolean.FALSE, r.success());
        assertTrue(r.rtoActualMillis() != null, "the service did recover");
        assertTrue(r.summary().startsWith("Drill failed: recovery roma-dr-service-failure-roma was started by cli,"
                + " not by an alert"), r.summary());
        assertTrue(r.issues().stream().anyMatch(i -> i.contains("was started by \"cli\"")), r.issues().toString());
    }

    @Test
    void anAlertingDrillOfAnotherScenarioIsNotRun(TestWorkflowEnvironment testEnv, Worker worker) {
        DrillReport r = run(testEnv, worker, new DrillRequest("roma", "git-loss", "", "", "carol", "olga", "oscar",
                "mia", null, null, "junit", true, null));

        assertEquals(Boolean.FALSE, r.success());
        assertTrue(drill.injected.isEmpty());
        assertEquals("Not run: no alerting drill for scenario \"git-loss\".", r.summary());
    }

    @Test
    void aRequestWithoutTheAlertingFieldsReadsAsBeforeAndWithThemAsAnAlertingDrill() {
        DrillRequest old = WorkflowInputs.read("""
                {"plan":"roma","scenario":"service-failure","signOffTimeout":"2h","requestedBy":"schedule"}"""
                .getBytes(StandardCharsets.UTF_8), DrillRequest.class);
        assertFalse(old.alertingDrill());
        assertEquals(Duration.ofMinutes(10), old.alertWait());
        DrillRequest asked = WorkflowInputs.read("""
                {"plan":"roma","scenario":"service-failure","alerting":true,"alertTimeout":"5m"}"""
                .getBytes(StandardCharsets.UTF_8), DrillRequest.class);
        assertTrue(asked.alertingDrill());
        assertEquals(Duration.ofMinutes(5), asked.alertWait());
    }
}
