package io.romadr.report;

/**
 * One line of a recovery's timeline. Times are epoch milliseconds from workflow time, so they are the same on
 * replay; {@code attempts} counts activity attempts (2 or more means the step was retried, e.g. after a worker
 * crash).
 */
public record StepRecord(
        String step, int round, long startedAt, long endedAt, int attempts, StepOutcome outcome, String detail) {

    public long durationMillis() {
        return endedAt <= 0 ? 0 : endedAt - startedAt;
    }

    public StepRecord finish(long at, int attempts, StepOutcome outcome, String detail) {
        return new StepRecord(step, round, startedAt, at, attempts, outcome, detail);
    }
}
