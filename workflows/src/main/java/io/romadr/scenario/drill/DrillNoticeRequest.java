package io.romadr.scenario.drill;

import io.romadr.runtime.PlanInput;

/** Announce the coming drills of {@code plan}'s calendar; {@code requestedBy}: "schedule", "cli:alice", ... */
public record DrillNoticeRequest(String plan, String requestedBy) implements PlanInput {
}
