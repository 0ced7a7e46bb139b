package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.Delivery;
import io.romadr.notify.FakeNotifications;
import io.romadr.notify.NotifyEvent;
import io.romadr.plan.DrillCalendarEntry;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.SeedPlan;
import io.romadr.scenario.servicefailure.HistoryFiles;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed plan's drill calendar announced {@code notifyBefore} ahead: Scenario 3 is drilled on 1 March at 10:00 UTC
 * with a week's notice, so the hourly run at 10:00 on 22 February announces it, and the runs around it do not.
 */
class DrillNoticeWorkflowTest {
    static final String WORKFLOW_ID = "drill-notices-roma";
    private static final Instant NOTICE_HOUR = Instant.parse("2027-02-22T10:00:00Z");
    private static final RecoveryPlan ROMA = SeedPlan.load();

    private TestWorkflowEnvironment testEnv;

    @AfterEach
    void close() {
        if (testEnv != null) {
            testEnv.close();
        }
    }

    @Test
    void theRunOnTheNoticeHourAnnouncesTheSiteLossDrillToTheTeam() {
        FakeNotifications notifications = new FakeNotifications();
        // A run starting a few seconds after the hour, as a Schedule's does.
        DrillNoticeReport r = run(NOTICE_HOUR.plusSeconds(4), notifications);

        assertEquals(List.of("site-loss on 2027-03-01T10:00Z[UTC]"), r.announced());
        assertEquals(NOTICE_HOUR.toEpochMilli(), r.windowEnd());
        List<Delivery> sent = notifications.deliveries();
        assertEquals(1, sent.size(), sent.toString());
        assertEquals(NotifyEvent.DRILL_UPCOMING, sent.get(0).notice().event());
        assertEquals("roma-team", sent.get(0).to().contact());
        assertEquals("roma-dr: drill: Full disaster recovery (Scenario 3) of plan roma on 2027-03-01T10:00Z[UTC]",
                sent.get(0).notice().title());
        assertEquals("In 7d. Coordinator [coordinator], operator [operator], observer [observer], manager [manager]."
                + " Objective: Rebuild the site on a new server within the 90 min RTO.",
                sent.get(0).notice()
                        .detail());
        HistoryFiles.write(testEnv.getWorkflowClient().fetchHistory(WORKFLOW_ID), "drillnotice-site-loss");
    }

    @Test
    void theRunsOfTheHoursAroundItAnnounceNothing() {
        FakeNotifications notifications = new FakeNotifications();
        DrillNoticeReport r = run(NOTICE_HOUR.plus(Duration.ofHours(1)).plusSeconds(4), notifications);

        assertEquals(List.of(), r.announced());
        assertEquals(List.of(), notifications.deliveries());
    }

    @Test
    void eachNoticeTimeFallsInExactlyOneHourlyWindow() {
        DrillCalendarEntry siteLoss = ROMA.drills().byScenario().get("site-loss");
        long hour = Duration.ofHours(1).toMillis();
        long end = NOTICE_HOUR.toEpochMilli();

        assertEquals(ZonedDateTime.parse("2027-03-01T10:00Z[UTC]"), DrillNoticeWorkflowImpl.due(siteLoss, end - hour,
                end));
        assertNull(DrillNoticeWorkflowImpl.due(siteLoss, end, end + hour), "the next hour");
        assertNull(DrillNoticeWorkflowImpl.due(siteLoss, end - 2 * hour, end - hour), "the hour before");
        // Monthly Scenario 1 on the 1st at 10:00 with a day's notice: due on the last day of February at 10:00.
        DrillCalendarEntry service = ROMA.drills().byScenario().get("service-failure");
        long feb28 = Instant.parse("2027-02-28T10:00:00Z").toEpochMilli();
        assertEquals(ZonedDateTime.parse("2027-03-01T10:00Z[UTC]"), DrillNoticeWorkflowImpl.due(service,
                feb28 - hour, feb28));
    }

    private DrillNoticeReport run(Instant at, FakeNotifications notifications) {
        testEnv = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setInitialTimeMillis(at.toEpochMilli()).build());
        PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
        when(plans.loadPlan("roma")).thenReturn(ROMA);
        Worker worker = testEnv.newWorker("notices");
        worker.registerWorkflowImplementationTypes(DrillNoticeWorkflowImpl.class);
        worker.registerActivitiesImplementations(plans, notifications);
        testEnv.start();
        DrillNoticeWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(DrillNoticeWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("notices").setWorkflowId(WORKFLOW_ID).build());
        return wf.announce(new DrillNoticeRequest("roma", "schedule"));
    }
}
