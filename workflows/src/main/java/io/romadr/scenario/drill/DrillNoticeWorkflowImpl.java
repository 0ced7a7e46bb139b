package io.romadr.scenario.drill;

import io.romadr.notify.NotifyEvent;
import io.romadr.plan.CronExpression;
import io.romadr.plan.DrillCalendarEntry;
import io.romadr.plan.Durations;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.RunFailure;
import io.romadr.report.ScenarioNames;
import io.romadr.runtime.Notifier;
import io.romadr.runtime.Steps;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Announces the drills whose notice time ({@code drill time - notifyBefore}) fell in the hour up to this run: the
 * window is {@code (H - 1h, H]} with {@code H} this run's time floored to the hour, so consecutive hourly runs (the
 * Schedule fires on the hour) cover every notice time once even when a run starts a few seconds late, and a notice
 * due on the hour goes out on that hour. Deterministic: the cron arithmetic is pure
 * and the clock is the workflow's.
 */
public class DrillNoticeWorkflowImpl implements DrillNoticeWorkflow {
    static final Duration WINDOW = Duration.ofHours(1);
    static final String FAILED = "DrillNoticeFailed";

    private final Steps steps = new Steps();

    @Override
    public DrillNoticeReport announce(DrillNoticeRequest request) {
        long now = Workflow.currentTimeMillis();
        long end = now - Math.floorMod(now, WINDOW.toMillis());
        long start = end - WINDOW.toMillis();
        RecoveryPlan plan;
        try {
            plan = steps.loadPlan(request.plan());
        } catch (Steps.Failed e) {
            DrillNoticeReport report = new DrillNoticeReport(request.plan(), start, end, List.of(), steps.snapshot());
            throw RunFailure.of(FAILED, "drill notices of plan " + request.plan() + ": " + e.getMessage(), report);
        }
        Notifier notifier = new Notifier(steps, Workflow.getInfo().getWorkflowId(), now);
        List<String> announced = new ArrayList<>();
        for (Map.Entry<String, DrillCalendarEntry> e : plan.drills().byScenario().entrySet()) {
            ZonedDateTime at = due(e.getValue(), start, end);
            if (at == null) {
                continue;
            }
            notifier.about("drill", e.getKey());
            notifier.plan(plan, 0);
            if (!notifier.routes(NotifyEvent.DRILL_UPCOMING)) {
                continue;
            }
            DrillCalendarEntry entry = e.getValue();
            String name = ScenarioNames.of(e.getKey());
            notifier.send(NotifyEvent.DRILL_UPCOMING, "drill-upcoming/" + plan.name() + "/" + e.getKey() + "/"
                    + at.toInstant(), "roma-dr: drill: " + name + " of plan " + plan.name() + " on " + at,
                    "In " + Durations.format(entry.notifyBefore()) + ". Coordinator " + role(entry.coordinator())
                            + ", operator " + role(entry.operator()) + ", observer " + role(entry.observer())
                            + ", manager " + role(entry.manager()) + "."
                            + (entry.objective().isEmpty() ? "" : " Objective: " + entry.objective() + "."),
                    "Prepare the drill's checklist; the calendar: roma-dr drills list --plan " + plan.name());
            announced.add(e.getKey() + " on " + at);
        }
        notifier.drain(Notifier.DRAIN);
        return new DrillNoticeReport(plan.name(), start, end, announced, steps.snapshot());
    }

    /** The drill whose notice falls in {@code (start, end]}, or null: its notice is due then. */
    static ZonedDateTime due(DrillCalendarEntry entry, long start, long end) {
        if (entry.notifyBefore().isZero()) {
            return null;
        }
        ZoneId zone = ZoneId.of(entry.timeZone());
        long lead = entry.notifyBefore().toMillis();
        ZonedDateTime from = Instant.ofEpochMilli(start + lead).atZone(zone);
        ZonedDateTime next = CronExpression.parse(entry.schedule()).next(from);
        return next != null && next.toInstant().toEpochMilli() <= end + lead ? next : null;
    }

    private static String role(String name) {
        return name == null || name.isBlank() ? "not assigned" : name.strip();
    }
}
