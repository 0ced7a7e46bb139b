package io.romadr.runtime;

import io.romadr.notify.NotifyEvent;
import io.romadr.plan.Durations;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.TriggerNotice;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Workflow-side: what a recovery (any scenario) tells its contacts, worded once: started (with what triggered it),
 * a step escalated, recovered or failed. The RTO events are {@link RtoClock}'s, the approvals the approval gate's.
 */
public final class RecoveryNotices {
    private final Notifier notifier;
    private TriggerNotice trigger;
    private boolean parentTells;

    public RecoveryNotices(Notifier notifier, String scenario) {
        this.notifier = notifier;
        notifier.about("recovery", scenario);
    }

    public Notifier notifier() {
        return notifier;
    }

    /** A trigger of the run (the starter signals who started it); the first one says what started it. */
    public void trigger(TriggerNotice notice) {
        if (trigger == null && notice != null) {
            trigger = notice;
        }
    }

    /** The plan is loaded and the RTO clock about to start: notices can be routed from now on. */
    public void plan(RecoveryPlan plan, long rtoMillis) {
        notifier.plan(plan, rtoMillis);
    }

    /**
     * recovery-started, naming what started it; for a drill (requested by a drill, or its first trigger came from
     * one) drill-started instead, and from here on only the drill's events (see {@link Notifier#drill()}).
     */
    public void started(long rtoMillis, String requestedBy, String reason) {
        if (isDrill(trigger, requestedBy)) {
            notifier.drill();
            // The recovery of a DrillWorkflow (its child): the drill tells its own start and end, once.
            parentTells = Workflow.getInfo().getParentWorkflowId().isPresent();
        }
        if (parentTells) {
            return;
        }
        NotifyEvent event = notifier.isDrill() ? NotifyEvent.DRILL_STARTED : NotifyEvent.RECOVERY_STARTED;
        if (!notifier.routes(event)) {
            return;
        }
        String by = describeTrigger(trigger, requestedBy);
        notifier.send(event, "roma-dr: " + (notifier.isDrill() ? "drill: " : "") + notifier.subject() + " started ("
                + by + ")",
                "Started by " + by + (reason == null || reason.isBlank() ? "" : "; reason: " + reason)
                        + (rtoMillis > 0 ? "; RTO " + Durations.format(Duration.ofMillis(rtoMillis)) : "") + ".",
                "Follow it: roma-dr status " + notifier.workflowId());
    }

    /** step-escalated: {@code from} did not heal, the run goes on with {@code to} (round {@code round}). */
    public void escalated(int round, String from, String to, String why) {
        if (!notifier.routes(NotifyEvent.STEP_ESCALATED)) {
            return;
        }
        notifier.send(NotifyEvent.STEP_ESCALATED,
                notifier.workflowId() + "/" + NotifyEvent.STEP_ESCALATED.id() + "/" + round + "-" + to, to,
                "roma-dr: " + notifier.subject() + " escalates from " + from + " to " + to,
                why + "; escalating to " + to + ".", "Follow it: roma-dr status " + notifier.workflowId());
    }

    /**
     * The run has ended: resolves everything it opened, then tells recovered or failed, and waits (bounded) for the
     * deliveries so the report lists them.
     */
    public void finished(Outcome outcome, String summary) {
        boolean recovered = outcome == Outcome.RECOVERED;
        if (notifier.isDrill()) {
            notifier.resolveAll("roma-dr: drill: " + notifier.subject() + " ended", summary);
            if (parentTells) {
                notifier.drain(Notifier.DRAIN);
                return;
            }
            notifier.send(NotifyEvent.DRILL_FINISHED, "roma-dr: drill: " + notifier.subject()
                    + (recovered ? " recovered" : " FAILED"), summary,
                    "Write up the drill from its report: roma-dr report " + notifier.workflowId());
            notifier.drain(Notifier.DRAIN);
            return;
        }
        notifier.resolveAll("roma-dr: " + notifier.subject() + (recovered ? " recovered" : " failed"), summary);
        notifier.send(recovered ? NotifyEvent.RECOVERED : NotifyEvent.FAILED,
                "roma-dr: " + notifier.subject() + (recovered ? " recovered" : " FAILED"), summary,
                recovered
                        ? "Read the report: roma-dr report " + notifier.workflowId()
                        : "Take over by hand; the report says what was done: roma-dr report " + notifier.workflowId());
        notifier.drain(Notifier.DRAIN);
    }

    /** A drill's recovery: requested by a drill ("drill", "drill: ..."), or its first trigger came from one. */
    static boolean isDrill(TriggerNotice first, String requestedBy) {
        return (first != null && "drill".equals(first.source()))
                || (requestedBy != null && (requestedBy.equals("drill") || requestedBy.startsWith("drill:")));
    }

    /** "alert (alertmanager alert 3f2a: RomaDown: ...)", "CLI (cli:alice)", "Web UI or API". */
    static String describeTrigger(TriggerNotice first, String requestedBy) {
        if (first != null) {
            return kind(first.source()) + " (" + first.line() + ")";
        }
        String by = requestedBy == null ? "" : requestedBy;
        if (by.isBlank()) {
            return "Web UI or API";
        }
        String kind = kind(by.startsWith("cli:") ? "cli" : by);
        return kind.equals(by) ? by : kind + " (" + by + ")";
    }

    private static String kind(String source) {
        return switch (source == null ? "" : source) {
            case "alertmanager" -> "alert";
            case "cli" -> "CLI";
            case "drill" -> "drill";
            case "schedule" -> "schedule";
            case "webhook" -> "webhook";
            case "workflow-start" -> "Web UI or API";
            default -> source == null || source.isBlank() ? "unknown source" : source;
        };
    }
}
