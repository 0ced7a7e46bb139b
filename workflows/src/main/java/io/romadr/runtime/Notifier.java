package io.romadr.runtime;

import io.romadr.notify.Delivery;
import io.romadr.notify.DeliveryResult;
import io.romadr.notify.Notice;
import io.romadr.notify.NotificationActivities;
import io.romadr.notify.NotifyEvent;
import io.romadr.notify.NotifyRoutes;
import io.romadr.notify.Recipient;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.ReportFormatter;
import io.romadr.report.StepOutcome;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workflow-side: tells the plan's contacts about a run without ever blocking, slowing or failing it. Each notice is
 * routed by the plan ({@link NotifyRoutes}) and delivered to each recipient by its own asynchronous activity with a
 * bounded retry policy; nothing on the run's path waits for it. A completed delivery is a {@code notify} line in
 * the timeline (NOTIFIED or UNDELIVERED, never a step of the run). What a notice opened is remembered, so the run
 * resolves it later. Before the plan is known nothing can be routed, and a plan without routes sends nothing (no
 * command at all, so histories recorded before notifications replay unchanged). Deterministic, no I/O.
 */
public final class Notifier {
    /** Version 1: the run notifies (only a plan with routes makes this run's commands differ). */
    public static final String NOTIFICATIONS = "notifications";
    /** The activity's failure type for a recipient the worker has no configuration for: not retried. */
    public static final String UNKNOWN_TARGET = "UnknownNotificationTarget";
    /** How long a finished run waits for its deliveries, so its report lists them; a down channel costs no more. */
    public static final Duration DRAIN = Duration.ofSeconds(30);
    /** One attempt is one channel call; three attempts over a few seconds, then the report says it failed. */
    static final ActivityOptions DELIVERY = ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(15))
            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
                    .setBackoffCoefficient(2).setMaximumAttempts(3).setDoNotRetry(UNKNOWN_TARGET).build())
            .build();

    /** What a drill sends (see {@link #drill()}). */
    static final java.util.Set<NotifyEvent> DRILL_EVENTS = java.util.EnumSet.of(NotifyEvent.DRILL_STARTED,
            NotifyEvent.DRILL_FINISHED, NotifyEvent.APPROVAL_PENDING);

    private final Steps steps;
    private final String workflowId;
    private long startedAt;
    private String kind = "";
    private String scenario = "";
    private RecoveryPlan plan;
    private long rtoMillis;
    private Boolean enabled;
    private boolean drill;
    /** What this run opened and has not resolved: key -> the event that opened it and who heard it. */
    private final Map<String, Opened> open = new LinkedHashMap<>();
    /** Deliveries under way, in the order they were sent. */
    private final Map<Integer, Delivery> inFlight = new LinkedHashMap<>();
    private int sent;

    private record Opened(NotifyEvent event, List<Recipient> to) {
    }

    /** A notifier for the run of {@code steps}, whose clock started at {@code startedAt} (workflow time). */
    public Notifier(Steps steps, String workflowId, long startedAt) {
        this.steps = steps;
        this.workflowId = workflowId;
        this.startedAt = startedAt;
    }

    /** The run's clock counts from {@code clockStart} (workflow time): the times the notices give are from there. */
    public void from(long clockStart) {
        this.startedAt = clockStart;
    }

    /** What the run is: {@code kind} "recovery", "backup" or "verification"; the scenario id or the backup kind. */
    public void about(String kind, String scenario) {
        this.kind = kind == null ? "" : kind;
        this.scenario = scenario == null ? "" : scenario;
    }

    /** The plan is loaded: from here on notices are routed. {@code rtoMillis}: the run's RTO budget (0: none). */
    public void plan(RecoveryPlan plan, long rtoMillis) {
        this.plan = plan;
        this.rtoMillis = rtoMillis;
    }

    /**
     * This run is a drill: only what a drill's audience needs is sent (drill started / finished, and approvals, which
     * need a person either way); the RTO and escalation events of a rehearsal page nobody, the drill report has them.
     */
    public void drill() {
        this.drill = true;
    }

    public boolean isDrill() {
        return drill;
    }

    /** "service-failure recovery of plan roma". */
    public String subject() {
        return (scenario.isEmpty() ? "" : scenario + " ") + kind + (plan == null ? "" : " of plan " + plan.name());
    }

    public String workflowId() {
        return workflowId;
    }

    /** True when the plan sends {@code event} of this run to anyone. */
    public boolean routes(NotifyEvent event) {
        return !recipients(event).isEmpty();
    }

    /** Sends {@code event} under this run's key {@code <workflowId>/<event id>}. */
    public void send(NotifyEvent event, String title, String detail, String nextAction) {
        send(event, workflowId + "/" + event.id(), title, detail, nextAction);
    }

    /** Sends {@code event} under {@code key} to everyone the plan routes it to; an opening event is remembered. */
    public void send(NotifyEvent event, String key, String title, String detail, String nextAction) {
        send(event, key, steps.current(), title, detail, nextAction);
    }

    /** As {@link #send(NotifyEvent, String, String, String, String)}, about {@code step} (the run's step by default). */
    public void send(NotifyEvent event, String key, String step, String title, String detail, String nextAction) {
        List<Recipient> to = recipients(event);
        if (!enabled(to)) {
            return;
        }
        Notice notice = notice(key, false, event, step, title, detail, nextAction);
        if (event.opens()) {
            Opened before = open.get(key);
            List<Recipient> all = new ArrayList<>(before == null ? List.of() : before.to());
            to.stream().filter(r -> !all.contains(r)).forEach(all::add);
            open.put(key, new Opened(event, List.copyOf(all)));
        }
        to.forEach(r -> deliver(notice, r));
    }

    /** Resolves what {@code key} opened, for everyone who heard it; nothing when this run did not open it. */
    public void resolve(String key, String title, String detail) {
        Opened opened = open.remove(key);
        if (opened != null) {
            Notice notice = notice(key, true, opened.event(), steps.current(), title, detail, "");
            opened.to().forEach(r -> deliver(notice, r));
        }
    }

    /** Resolves everything this run opened and has not resolved yet. */
    public void resolveAll(String title, String detail) {
        new ArrayList<>(open.keySet()).forEach(key -> resolve(key, title, detail));
    }

    /**
     * Resolves {@code key} that an earlier run opened with {@code openedBy} (a failed backup, a check that was not
     * OK), for the recipients the plan routes {@code openedBy} to. This run cannot know whether it is open: channels
     * that deduplicate close it if it is and ignore it if not; the others hear it only when {@code knownOpen} (the
     * previous run of this schedule failed), so a healthy schedule does not post "resolved" every time.
     */
    public void resolveEarlier(NotifyEvent openedBy, String key, String title, String detail, boolean knownOpen) {
        List<Recipient> to = recipients(openedBy).stream().filter(r -> knownOpen || r.channel().deduplicates())
                .toList();
        if (!enabled(to)) {
            return;
        }
        Notice notice = notice(key, true, openedBy, steps.current(), title, detail, "");
        to.forEach(r -> deliver(notice, r));
    }

    /**
     * Before the final report: waits up to {@code max} for the deliveries under way, so the report lists them; what
     * is still being delivered then is listed as such. No command when nothing is under way.
     */
    public void drain(Duration max) {
        if (inFlight.isEmpty()) {
            return;
        }
        // Detached: a cancelled run still lists what it told.
        Workflow.newDetachedCancellationScope(() -> Workflow.await(max, inFlight::isEmpty)).run();
        for (Delivery d : inFlight.values()) {
            steps.mark("notify", StepOutcome.UNDELIVERED, "still notifying " + d.to().describe() + " ("
                    + event(d.notice()) + ") when the run ended, after waiting "
                    + ReportFormatter.clock(max.toMillis()));
        }
        inFlight.clear();
    }

    private List<Recipient> recipients(NotifyEvent event) {
        if (drill && !DRILL_EVENTS.contains(event)) {
            return List.of();
        }
        return plan == null ? List.of() : NotifyRoutes.recipients(plan, event, scenario);
    }

    /** Version 1 of {@link #NOTIFICATIONS}, decided at the first notice anyone is to hear. */
    private boolean enabled(List<Recipient> to) {
        if (to.isEmpty()) {
            return false;
        }
        if (enabled == null) {
            enabled = Workflow.getVersion(NOTIFICATIONS, Workflow.DEFAULT_VERSION, 1) >= 1;
        }
        return enabled;
    }

    private Notice notice(String key, boolean resolve, NotifyEvent event, String step, String title, String detail,
            String nextAction) {
        long now = Workflow.currentTimeMillis();
        return new Notice(key, resolve, event, workflowId, plan == null ? "" : plan.name(), kind, scenario,
                step, title, detail, nextAction, rtoMillis, now - startedAt, now);
    }

    /**
     * Starts one delivery and returns at once. Detached from the run's cancellation scope: a cancelled recovery
     * still tells people it ended. The timeline line is written when the delivery completes.
     */
    private void deliver(Notice notice, Recipient to) {
        int id = sent++;
        Delivery delivery = new Delivery(notice, to);
        inFlight.put(id, delivery);
        NotificationActivities stub = Workflow.newActivityStub(NotificationActivities.class, ActivityOptions
                .newBuilder(DELIVERY).setSummary("notify " + to.describe() + " (" + event(notice) + ")").build());
        Workflow.newDetachedCancellationScope(() -> Async.function(stub::deliver, delivery).handle((r, failure) -> {
            if (inFlight.remove(id) != null) {
                steps.mark("notify", failure == null ? StepOutcome.NOTIFIED : StepOutcome.UNDELIVERED,
                        failure == null ? delivered(notice, to, r) : undelivered(notice, to, Steps.message(failure)));
            }
            return null;
        })).run();
    }

    private String delivered(Notice notice, Recipient to, DeliveryResult result) {
        String verb = switch (to.channel()) {
            case PAGERDUTY -> "paged";
            case ALERTMANAGER -> "alerted";
            case SLACK -> "messaged";
            case EMAIL -> "emailed";
            case WEBHOOK -> "called";
        };
        return to.contact() + " " + verb + " via " + to.channel().id()
                + (to.target().isEmpty() ? "" : ":" + to.target())
                + " at " + ReportFormatter.clock(Workflow.currentTimeMillis() - startedAt) + " (" + event(notice) + ")"
                + (result == null || result.attempt() <= 1 ? "" : ", attempt " + result.attempt())
                + (result == null || result.detail().isEmpty() ? "" : ": " + result.detail());
    }

    private static String undelivered(Notice notice, Recipient to, String why) {
        // The activity's message starts with the recipient already; say it once.
        String prefix = to.describe() + ": ";
        return "could not notify " + to.describe() + " (" + event(notice) + "): "
                + (why.startsWith(prefix) ? why.substring(prefix.length()) : why);
    }

    private static String event(Notice notice) {
        return notice.event().id() + (notice.resolve() ? " resolved" : "");
    }
}
