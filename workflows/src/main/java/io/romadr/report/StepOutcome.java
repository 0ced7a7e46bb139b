package io.romadr.report;

/**
 * How one step of a recovery ended. NOTIFIED and UNDELIVERED are the timeline's lines about notifications (step
 * {@code notify}): never a step of the runbook, so nothing that reads the run's steps (its outcome, current or failed
 * step) counts them.
 */
public enum StepOutcome {
    RUNNING, OK, FAILED, SKIPPED, BREACH, NOTIFIED, UNDELIVERED;

    /** A line about a notification, not a step of the run. */
    public boolean notification() {
        return this == NOTIFIED || this == UNDELIVERED;
    }
}
