package io.romadr.report;

/** How one step of a recovery ended. */
public enum StepOutcome {
    RUNNING, OK, FAILED, SKIPPED, BREACH
}
