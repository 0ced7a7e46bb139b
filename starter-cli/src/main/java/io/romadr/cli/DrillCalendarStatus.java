package io.romadr.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a drill of the calendar is overdue (the seed's "Last Tested / Next Test"): its Schedule's next run is in
 * the past (paused or stuck), or no drill of it started within the calendar's period (the longest gap between two of
 * its fire times). A drill never run is overdue once its Schedule is older than one period.
 */
record DrillCalendarStatus(boolean overdue, String text) {
    /** A Schedule's next run a little late is the server catching up, not a stuck schedule. */
    static final Duration GRACE = Duration.ofMinutes(5);

    /**
     * @param now             the clock
     * @param period          the calendar's period; null when the plan's calendar has no such drill
     * @param nextRun         the Schedule's next run; null when there is no Schedule or it has no next run
     * @param scheduleCreated when the Schedule was made; null when there is none
     * @param lastStart       when the latest drill of the scenario started (running or not); null: never
     */
    static DrillCalendarStatus of(Instant now, Duration period, Instant nextRun, Instant scheduleCreated,
            Instant lastStart) {
        if (period == null) {
            return new DrillCalendarStatus(false, "not in the plan's calendar");
        }
        if (nextRun != null && nextRun.plus(GRACE).isBefore(now)) {
            return new DrillCalendarStatus(true, "OVERDUE: the next run is in the past (paused?)");
        }
        Instant since = now.minus(period);
        String noSchedule = scheduleCreated == null ? "; no Schedule: run roma-dr schedules apply" : "";
        if (lastStart != null) {
            return lastStart.isBefore(since)
                    ? new DrillCalendarStatus(true, "OVERDUE: no drill within " + SchedulesApplyCommand.human(period)
                            + noSchedule)
                    : new DrillCalendarStatus(false, "ok" + noSchedule);
        }
        if (scheduleCreated == null || scheduleCreated.isBefore(since)) {
            return new DrillCalendarStatus(true, "OVERDUE: never drilled" + noSchedule);
        }
        return new DrillCalendarStatus(false, "ok (not drilled yet)");
    }
}
