package io.romadr.notify;

/**
 * One event of one run, as every channel renders it. Built workflow-side (deterministic), so it is in the history.
 *
 * @param key          what this notice opens or resolves: {@code <workflowId>/<event id>[/<suffix>]}; PagerDuty's
 *                     dedup_key, the Alertmanager alert's identity, the webhook's event id
 * @param resolve      true: this notice closes what {@code key} opened (channels without resolution send it as a
 *                     message)
 * @param workflowId   the run's workflow id (the activity builds the Web UI link from it and its namespace)
 * @param kind         "recovery", "backup", "verification" or "drill"
 * @param scenario     the scenario id (service-failure, ...) or the backup kind; empty when none
 * @param step         the step the run is at (or the one the event is about)
 * @param title        one line: "roma: service-failure recovery started (alert RomaDown)"
 * @param detail       a few lines: what happened, what was tried
 * @param nextAction   what the reader should do now; for approvals the exact {@code roma-dr approve} command
 * @param rtoMillis    the RTO budget (0: none)
 * @param elapsedMillis time since the run's clock started, at the event
 * @param at           workflow time of the event (epoch millis)
 */
public record Notice(
        String key,
        boolean resolve,
        NotifyEvent event,
        String workflowId,
        String plan,
        String kind,
        String scenario,
        String step,
        String title,
        String detail,
        String nextAction,
        long rtoMillis,
        long elapsedMillis,
        long at) {

    public Notice {
        key = key == null ? "" : key;
        workflowId = workflowId == null ? "" : workflowId;
        plan = plan == null ? "" : plan;
        kind = kind == null ? "" : kind;
        scenario = scenario == null ? "" : scenario;
        step = step == null ? "" : step;
        title = title == null ? "" : title;
        detail = detail == null ? "" : detail;
        nextAction = nextAction == null ? "" : nextAction;
    }

    /** RTO used in percent (0 when the run has no RTO). */
    public int rtoUsedPercent() {
        return rtoMillis <= 0 ? 0 : (int) Math.min(999, elapsedMillis * 100 / rtoMillis);
    }
}
