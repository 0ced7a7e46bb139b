package io.romadr.cli;

import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleCalendarSpec;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleRange;
import io.temporal.client.schedules.ScheduleSpec;
import io.romadr.plan.CronExpression;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One Temporal Schedule a plan asks for (a backup kind every interval, or a drill on its calendar): its id, the
 * workflow it starts with its one argument, and when.
 *
 * @param id               the schedule id ({@code roma-dr-<plan>-<kind>}, {@code roma-dr-drill-<scenario>-<plan>})
 * @param kind             the backup kind or the drilled scenario
 * @param workflowType     the workflow the schedule starts
 * @param workflowIdPrefix the started workflow's id; the server appends the scheduled time
 * @param argument         the workflow's one argument
 * @param spec             when it runs
 * @param overlap          what a start does while the previous run still runs: skip (backups, drills), or buffer
 *                         one, so a watch that ends a moment late is followed at once (the secrets watch)
 */
record PlannedSchedule(String id, String kind, String workflowType, String workflowIdPrefix, Object argument,
        ScheduleSpec spec, ScheduleOverlapPolicy overlap) {

    /** Overlap: skip. */
    PlannedSchedule(String id, String kind, String workflowType, String workflowIdPrefix, Object argument,
            ScheduleSpec spec) {
        this(id, kind, workflowType, workflowIdPrefix, argument, spec,
                ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP);
    }

    /** Every {@code every}, from the schedule's creation. */
    static ScheduleSpec every(Duration every) {
        return ScheduleSpec.newBuilder().setIntervals(List.of(new ScheduleIntervalSpec(every))).build();
    }

    /**
     * A plan's cron expression as a Temporal calendar (seconds 0), read in {@code zone}: calendars rather than cron
     * text, so what the server stores is what the plan's parser read.
     */
    static ScheduleSpec calendar(CronExpression cron, String zone) {
        ScheduleCalendarSpec calendar = ScheduleCalendarSpec.newBuilder()
                .setSeconds(List.of(new ScheduleRange(0)))
                .setMinutes(ranges(cron.minutes()))
                .setHour(ranges(cron.hours()))
                .setDayOfMonth(ranges(cron.daysOfMonth()))
                .setMonth(ranges(cron.months()))
                .setDayOfWeek(ranges(cron.daysOfWeek()))
                .build();
        return ScheduleSpec.newBuilder().setCalendars(List.of(calendar)).setIntervals(List.of())
                .setTimeZoneName(zone).build();
    }

    /** Consecutive values as one range each. */
    private static List<ScheduleRange> ranges(List<Integer> values) {
        List<ScheduleRange> ranges = new ArrayList<>();
        int i = 0;
        while (i < values.size()) {
            int j = i;
            while (j + 1 < values.size() && values.get(j + 1) == values.get(j) + 1) {
                j++;
            }
            ranges.add(new ScheduleRange(values.get(i), values.get(j)));
            i = j + 1;
        }
        return ranges;
    }

    /**
     * When a schedule runs, as one line that is the same for equal specs however the server wrote them back:
     * {@code every 1h}, or {@code cron 0 10 1 * * UTC} (a calendar's fields expanded, then written as cron).
     */
    static String when(ScheduleSpec spec) {
        List<String> parts = new ArrayList<>();
        for (ScheduleIntervalSpec i : orEmpty(spec.getIntervals())) {
            boolean offset = i.getOffset() != null && !i.getOffset().isZero();
            parts.add("every " + SchedulesApplyCommand.human(i.getEvery())
                    + (offset ? " +" + SchedulesApplyCommand.human(i.getOffset()) : ""));
        }
        for (ScheduleCalendarSpec c : orEmpty(spec.getCalendars())) {
            parts.add("cron " + String.join(" ", field(c.getMinutes(), 0, 59, 0), field(c.getHour(), 0, 23, 0),
                    field(c.getDayOfMonth(), 1, 31, -1), field(c.getMonth(), 1, 12, -1),
                    field(c.getDayOfWeek(), 0, 6, -1))
                    + (spec.getTimeZoneName() == null || spec.getTimeZoneName().isEmpty()
                            ? " UTC"
                            : " " + spec.getTimeZoneName()));
        }
        orEmpty(spec.getCronExpressions()).forEach(c -> parts.add("cron " + c));
        return parts.isEmpty() ? "-" : String.join("; ", parts);
    }

    /** The SDK leaves a list it was not given null. */
    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /** A calendar field as cron: {@code *}, or a list of values and runs; empty means its default (a value or all). */
    private static String field(List<ScheduleRange> ranges, int min, int max, int emptyValue) {
        TreeSet<Integer> values = new TreeSet<>();
        ranges = orEmpty(ranges);
        for (ScheduleRange r : ranges) {
            int end = Math.max(r.getEnd(), r.getStart());
            int step = Math.max(r.getStep(), 1);
            for (int v = r.getStart(); v <= end; v += step) {
                values.add(v);
            }
        }
        if (ranges.isEmpty()) {
            if (emptyValue >= 0) {
                values.add(emptyValue);
            } else {
                return "*";
            }
        }
        if (values.size() == max - min + 1 && values.first() == min) {
            return "*";
        }
        List<Integer> list = List.copyOf(values);
        return ranges(list).stream()
                .map(r -> r.getStart() == r.getEnd() ? "" + r.getStart() : r.getStart() + "-" + r.getEnd())
                .collect(Collectors.joining(","));
    }
}
