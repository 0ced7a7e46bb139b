package io.romadr.report;

import java.util.List;

/**
 * What every client (the CLI, the drills) needs from a scenario workflow's report or its progress
 * query's answer, whatever the scenario: implemented by the four report records and {@link Progress}. Methods only,
 * none named get/is, so the records' JSON (recorded histories, CLI output) keeps exactly their own fields.
 * {@link ReportFormatter#markdown} renders any of them.
 */
public interface ScenarioReport {
    /** Empty for a progress answer that does not carry it (the caller knows the ID it asked). */
    String workflowId();

    String scenario();

    String plan();

    Outcome outcome();

    long startedAt();

    /** For a progress answer: 0, or the workflow time it was given at. */
    long finishedAt();

    /** The RTO budget. */
    long rtoMillis();

    /**
     * Time from the start until the service was restored; null while (or when) it is not. By default the whole run
     * of a recovery that recovered (a scenario whose last step is what restores it).
     */
    default Long rtoActualMillis() {
        return outcome() == Outcome.RECOVERED ? finishedAt() - startedAt() : null;
    }

    /**
     * The RTO budget ran out with the service not restored. One meaning for every scenario: the run's RTO clock
     * recorded the breach (a BREACH step, the moment the budget was spent, live in a progress answer). A run recorded
     * before its scenario had the live clock has no such step: there, the run took longer than the budget (a progress
     * answer's {@code finishedAt} is its latest workflow time).
     */
    default boolean rtoBreached() {
        return timeline().stream().anyMatch(s -> s.outcome() == StepOutcome.BREACH)
                || finishedAt() - startedAt() > rtoMillis();
    }

    /** The steps so far, in order. */
    List<StepRecord> timeline();

    String summary();

    /**
     * When the incident was detected, the recovery requested and first worked on; {@link #startedAt} is where its RTO
     * clock starts. Null for a run recorded before these were kept (its clock started at its first step).
     */
    default IncidentTimes incident() {
        return null;
    }

    /** What the run waits for an operator to approve, or null. */
    default PendingApproval pendingApproval() {
        return null;
    }

    /** How the last approval ended, or null when none has. */
    default ApprovalRecord approval() {
        return null;
    }

    default String requestedBy() {
        return "";
    }

    default String reason() {
        return "";
    }

    /** When the RTO budget ran out: the {@code rto-breached} step, else the budget's end; null if not breached. */
    default Long rtoBreachedAt() {
        if (!rtoBreached()) {
            return null;
        }
        return timeline().stream().filter(s -> s.step().equals("rto-breached")).map(StepRecord::startedAt)
                .findFirst().orElse(startedAt() + rtoMillis());
    }

    /** RTO budget left at {@code now} (negative once spent); counted to the restore once restored. */
    default long rtoRemainingMillis(long now) {
        long end = rtoActualMillis() != null ? startedAt() + rtoActualMillis() : now;
        return startedAt() + rtoMillis() - end;
    }

    default boolean recoveredWithinRto() {
        return outcome() == Outcome.RECOVERED && !rtoBreached();
    }

    /** The step running now (the last one still RUNNING), else the last one, else empty; notifications are not steps. */
    default String currentStep() {
        List<StepRecord> steps = timeline().stream().filter(s -> !s.outcome().notification()).toList();
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).outcome() == StepOutcome.RUNNING) {
                return steps.get(i).step();
            }
        }
        return steps.isEmpty() ? "" : steps.get(steps.size() - 1).step();
    }

    /** The recovery round (Scenario 1 retries the runbook after a relapse); 1 where there are no rounds. */
    default int round() {
        return 1;
    }

    /** The markdown report's heading. */
    default String title() {
        return "Recovery report: " + scenario() + " / plan " + plan();
    }

    /** What the RTO Actual line adds after the time, e.g. how "restored" is measured; may be empty. */
    default String rtoActualNote() {
        return "";
    }

    /** The header lines only this scenario has (after the outcome). */
    default void headerDetails(StringBuilder sb) {
    }

    /** The scenario's own sections, between the common header and the timeline. */
    default void details(StringBuilder sb) {
    }
}
