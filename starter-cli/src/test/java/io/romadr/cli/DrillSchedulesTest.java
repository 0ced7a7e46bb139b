package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillNoticeRequest;
import io.romadr.scenario.drill.DrillNoticeWorkflow;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Schedules a plan's drill calendar asks for (spec and action), how a schedule's "when" is written whichever
 * way the server stores it, and when a drill is overdue. The SDK's test server keeps no Schedules: the worker's
 * DrillSchedulesTest applies them on the real dev server.
 */
class DrillSchedulesTest {
    private static final RecoveryPlan PLAN = new PlanLoader().parse("cal.yaml",
            DrillCommandsTest.PlanDrillsYaml.PLAN);

    @Test
    void oneScheduleStartingADrillWorkflowPerScenarioOfTheCalendar() {
        List<PlannedSchedule> drills = DrillSchedules.of(PLAN);
        assertEquals(List.of("roma-dr-drill-service-failure-cal", "roma-dr-drill-data-corruption-cal",
                "roma-dr-drill-notices-cal"), drills.stream().map(PlannedSchedule::id).toList());
        Schedule s = SchedulesApplyCommand.schedule(drills.get(1), "q1");
        ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) s.getAction();
        assertEquals(DrillWorkflow.TYPE, action.getWorkflowType());
        assertEquals("drill-data-corruption-cal", action.getOptions().getWorkflowId());
        assertEquals("q1", action.getOptions().getTaskQueue());
        assertEquals(new DrillRequest("cal", "data-corruption", "", "", "", "", "", "", null, Duration.ofHours(24),
                "schedule"), action.getArguments().get(0, DrillRequest.class));
        assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, s.getPolicy().getOverlap());

        ScheduleSpec spec = s.getSpec();
        assertEquals("Europe/Berlin", spec.getTimeZoneName());
        assertTrue(spec.getIntervals().isEmpty());
        ScheduleCalendarSpec c = spec.getCalendars().get(0);
        assertEquals(List.of(new ScheduleRange(0, 0)), c.getSeconds());
        assertEquals(List.of(new ScheduleRange(0, 0)), c.getMinutes());
        assertEquals(List.of(new ScheduleRange(10, 10)), c.getHour());
        assertEquals(List.of(new ScheduleRange(15, 15)), c.getDayOfMonth());
        assertEquals(List.of(new ScheduleRange(1, 1), new ScheduleRange(4, 4), new ScheduleRange(7, 7),
                new ScheduleRange(10, 10)), c.getMonth());
        assertEquals(List.of(new ScheduleRange(0, 6)), c.getDayOfWeek());
        assertEquals("cron 0 10 15 1,4,7,10 * Europe/Berlin", PlannedSchedule.when(spec));

        // The drills' notices: hourly, on the hour.
        Schedule notices = SchedulesApplyCommand.schedule(drills.get(2), "q1");
        assertEquals(DrillNoticeWorkflow.TYPE, ((ScheduleActionStartWorkflow) notices.getAction())
                .getWorkflowType());
        assertEquals(new DrillNoticeRequest("cal", "schedule"), ((ScheduleActionStartWorkflow) notices.getAction())
                .getArguments().get(0, DrillNoticeRequest.class));
        assertEquals("every 1h", PlannedSchedule.when(notices.getSpec()));

        DrillRequest s1 = (DrillRequest) drills.get(0).argument();
        assertEquals("bob", s1.operator());
        assertEquals(Duration.ofMinutes(15), s1.rtoTarget());
        assertEquals("schedule", s1.requestedBy());
    }

    @Test
    void theWhenIsTheSameHoweverTheServerWritesTheCalendarBack() {
        // As a server may store "0 10 15 1,4,7,10 *": steps, a zero end for a single value, all week days left out.
        ScheduleCalendarSpec stored = ScheduleCalendarSpec.newBuilder()
                .setSeconds(List.of(new ScheduleRange(0)))
                .setMinutes(List.of())
                .setHour(List.of(new ScheduleRange(10, 0, 0)))
                .setDayOfMonth(List.of(new ScheduleRange(15)))
                .setMonth(List.of(new ScheduleRange(1, 10, 3)))
                .setDayOfWeek(List.of())
                .build();
        ScheduleSpec spec = ScheduleSpec.newBuilder().setCalendars(List.of(stored))
                .setTimeZoneName("Europe/Berlin").build();
        assertEquals("cron 0 10 15 1,4,7,10 * Europe/Berlin", PlannedSchedule.when(spec));
        assertEquals("every 1h", PlannedSchedule.when(PlannedSchedule.every(Duration.ofHours(1))));
    }

    @Test
    void applyLeavesAnEqualDrillScheduleUnchangedAndNamesWhatDiffers() {
        PlannedSchedule d = DrillSchedules.of(PLAN).get(1);
        Schedule wanted = SchedulesApplyCommand.schedule(d, "q1");
        assertEquals(List.of(), SchedulesApplyCommand.differences(wanted, wanted, d.argument()));
        RecoveryPlan moved = new PlanLoader().parse("cal.yaml", DrillCommandsTest.PlanDrillsYaml.PLAN
                .replace("0 10 15 1,4,7,10 *", "0 10 16 1,4,7,10 *").replace("operator: bob", "operator: eve"));
        PlannedSchedule m = DrillSchedules.of(moved).get(1);
        assertEquals(List.of("calendar"), SchedulesApplyCommand.differences(wanted,
                SchedulesApplyCommand.schedule(m, "q1"), m.argument()));
        PlannedSchedule s1 = DrillSchedules.of(moved).get(0);
        assertEquals(List.of("input"), SchedulesApplyCommand.differences(
                SchedulesApplyCommand.schedule(DrillSchedules.of(PLAN).get(0), "q1"),
                SchedulesApplyCommand.schedule(s1, "q1"), s1.argument()));
    }

    @Test
    void overdueWhenTheNextRunIsPastOrNoDrillWithinThePeriod() {
        Instant now = Instant.parse("2026-12-07T04:00:00Z");
        Duration month = Duration.ofDays(31);
        DrillCalendarStatus ok = DrillCalendarStatus.of(now, month, Instant.parse("2027-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"));
        assertFalse(ok.overdue(), ok::toString);
        assertEquals("ok", ok.text());

        DrillCalendarStatus late = DrillCalendarStatus.of(now, month, Instant.parse("2027-01-01T10:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-11-01T10:00:00Z"));
        assertTrue(late.overdue());
        assertEquals("OVERDUE: no drill within 31d", late.text());

        DrillCalendarStatus stuck = DrillCalendarStatus.of(now, month, Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"));
        assertTrue(stuck.overdue());
        assertEquals("OVERDUE: the next run is in the past (paused?)", stuck.text());

        DrillCalendarStatus catchingUp = DrillCalendarStatus.of(now, month, now.minusSeconds(60),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-12-01T10:00:00Z"));
        assertFalse(catchingUp.overdue(), catchingUp::toString);

        DrillCalendarStatus fresh = DrillCalendarStatus.of(now, month, Instant.parse("2027-01-01T10:00:00Z"),
                now.minus(Duration.ofDays(3)), null);
        assertFalse(fresh.overdue());
        assertEquals("ok (not drilled yet)", fresh.text());

        DrillCalendarStatus never = DrillCalendarStatus.of(now, month, Instant.parse("2027-01-01T10:00:00Z"),
                now.minus(Duration.ofDays(40)), null);
        assertTrue(never.overdue());
        assertEquals("OVERDUE: never drilled", never.text());

        DrillCalendarStatus unscheduled = DrillCalendarStatus.of(now, month, null, null,
                Instant.parse("2026-12-01T10:00:00Z"));
        assertFalse(unscheduled.overdue());
        assertEquals("ok; no Schedule: run roma-dr schedules apply", unscheduled.text());

        assertFalse(DrillCalendarStatus.of(now, null, null, null, null).overdue());
    }
}
