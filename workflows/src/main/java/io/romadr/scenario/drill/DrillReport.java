package io.romadr.scenario.drill;

import java.util.List;

/**
 * The seed's drill report template, field for field (Date, Scenario, Operator, Observer; Results: Objective, Success,
 * RTO Target, RTO Actual, Data Loss; Timeline: Time, Action, Result; Issues Encountered; Action Items; Sign-Off),
 * plus what roma-dr knows beyond it (the state documented before, the recovery's workflow id, alerting delays).
 *
 * @param workflowId     the drill's workflow id
 * @param date           the drill's date, YYYY-MM-DD (UTC)
 * @param scenario       the scenario id
 * @param scenarioName   the seed's name ("Service restart (Scenario 1)")
 * @param plan           the plan drilled
 * @param coordinator    seed roles
 * @param operator       seed roles
 * @param observer       seed roles
 * @param manager        seed roles
 * @param objective      Results: Objective
 * @param success        Results: Success (null while the drill runs)
 * @param rtoTargetMillis Results: RTO Target
 * @param rtoActualMillis Results: RTO Actual (fault injected to service verified healthy); null: not recovered
 * @param dataLoss       Results: Data Loss ("None", or what was lost)
 * @param startedAt      drill start, epoch millis (timeline times are offsets from it)
 * @param finishedAt     drill end, epoch millis (0 while it runs)
 * @param timeline       Timeline rows, in order: the drill's own phases and the scenario's steps
 * @param issues         Issues Encountered: deviations noted by people and failures found by the drill
 * @param actionItems    Action Items
 * @param signOffs       Sign-Off: operator, observer, manager (a missing one says so)
 * @param stateBefore    pre-drill "document current state" lines (containers, image digests, newest backups, git tips)
 * @param recoveryWorkflowId the scenario's child workflow id
 * @param summary        one paragraph
 */
public record DrillReport(String workflowId, String date, String scenario, String scenarioName, String plan,
        String coordinator, String operator, String observer, String manager, String objective, Boolean success,
        long rtoTargetMillis, Long rtoActualMillis, String dataLoss, long startedAt, long finishedAt,
        List<TimelineRow> timeline, List<String> issues, List<ActionItem> actionItems, List<SignOffRecord> signOffs,
        List<String> stateBefore, String recoveryWorkflowId, String summary) {

    public DrillReport {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        issues = issues == null ? List.of() : List.copyOf(issues);
        actionItems = actionItems == null ? List.of() : List.copyOf(actionItems);
        signOffs = signOffs == null ? List.of() : List.copyOf(signOffs);
        stateBefore = stateBefore == null ? List.of() : List.copyOf(stateBefore);
    }

    /**
     * One row of the template's timeline.
     *
     * @param atMillis     offset from the drill's start
     * @param durationMillis how long the action took (0: an instant)
     * @param phase        "pre-drill", "fault", "recovery", "verify", "post-drill" (the SVG timeline's bars)
     * @param action       "Started drill", "Injected fault: kill roma", "restart roma", ...
     * @param result       "N/A", "Success", "Failed: ..."
     */
    public record TimelineRow(long atMillis, long durationMillis, String phase, String action, String result) {
    }

    /** An action item (seed: "- [ ] [Fix/improvement]"), with who owns it and whether it is done. */
    public record ActionItem(String text, String owner, boolean done) {
    }

    /**
     * One sign-off of the template.
     *
     * @param role   operator, observer or manager
     * @param name   who signed ("" when nobody did)
     * @param at     epoch millis of the signature (0: not signed)
     * @param note   a comment, or why it is missing ("not signed within 24h")
     */
    public record SignOffRecord(String role, String name, long at, String note) {
    }
}
