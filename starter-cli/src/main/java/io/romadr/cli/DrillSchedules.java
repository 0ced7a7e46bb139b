package io.romadr.cli;

import io.romadr.plan.CronExpression;
import io.romadr.plan.DrillCalendarEntry;
import io.romadr.plan.NotifyNames;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillNoticeRequest;
import io.romadr.scenario.drill.DrillNoticeWorkflow;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Temporal Schedules of a plan's drill calendar ({@code drills:}): one per scenario it drills, and one hourly
 * schedule of the drills' {@code drill-upcoming} notices when any drill asks for one ({@code notifyBefore}).
 */
final class DrillSchedules {
    static final String ID_PREFIX = BackupSchedules.ID_PREFIX + "drill-";

    private DrillSchedules() {
    }

    /** {@code roma-dr-drill-<scenario>-<plan>}. */
    static String id(String scenario, String plan) {
        return ID_PREFIX + scenario + "-" + plan;
    }

    /** The id of the workflows a drill schedule starts (the server appends the scheduled time). */
    static String workflowIdPrefix(String scenario, String plan) {
        return "drill-" + scenario + "-" + plan;
    }

    /** {@code roma-dr-drill-notices-<plan>}. */
    static String noticesId(String plan) {
        return ID_PREFIX + "notices-" + plan;
    }

    /** Every drill schedule id a plan could have, whatever its calendar says now. */
    static List<String> allIds(String plan) {
        List<String> ids = new ArrayList<>(NotifyNames.DRILL_SCENARIOS.stream().map(s -> id(s, plan)).toList());
        ids.add(noticesId(plan));
        return ids;
    }

    static List<PlannedSchedule> of(RecoveryPlan plan) {
        List<PlannedSchedule> all = new ArrayList<>();
        for (Map.Entry<String, DrillCalendarEntry> e : plan.drills().byScenario().entrySet()) {
            String scenario = e.getKey();
            DrillCalendarEntry d = e.getValue();
            DrillRequest request = new DrillRequest(plan.name(), scenario, d.fault(), d.objective(), d.coordinator(),
                    d.operator(), d.observer(), d.manager(), d.rtoTarget(), d.signOffTimeout(),
                    // null unless asked: the request of a drill as before stays equal to its existing schedule's
                    BackupSchedules.REQUESTED_BY, d.alerting() ? Boolean.TRUE : null, null);
            all.add(new PlannedSchedule(id(scenario, plan.name()), scenario, DrillWorkflow.TYPE,
                    workflowIdPrefix(scenario, plan.name()), request,
                    PlannedSchedule.calendar(CronExpression.parse(d.schedule()), d.timeZone())));
        }
        if (plan.drills().byScenario().values().stream().anyMatch(d -> !d.notifyBefore().isZero())) {
            // Hourly on the hour (intervals are aligned to the epoch): each run announces the hour up to it.
            all.add(new PlannedSchedule(noticesId(plan.name()), "drill-notices", DrillNoticeWorkflow.TYPE,
                    "drill-notices-" + plan.name(), new DrillNoticeRequest(plan.name(), BackupSchedules.REQUESTED_BY),
                    PlannedSchedule.every(Duration.ofHours(1))));
        }
        return all;
    }
}
