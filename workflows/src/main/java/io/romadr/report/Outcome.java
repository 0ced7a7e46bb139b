package io.romadr.report;

/** How a whole recovery ended. */
public enum Outcome {
    RUNNING, RECOVERED, FAILED
}
