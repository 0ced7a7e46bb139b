package io.romadr.scenario.siteloss;

/**
 * One of the seed's five phases with its budget window (minutes from the start, scaled to the plan's site-loss RTO)
 * and when it actually started and ended (epoch millis; null while not reached). Over budget when it ended after
 * its window closed.
 */
public record PhaseRecord(String name, long budgetFromMillis, long budgetToMillis, Long startedAt, Long endedAt,
        boolean overBudget) {
}
