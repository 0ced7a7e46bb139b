package io.romadr.activities.plan;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;

/** Plan loading for workflow tests on real systems: every name loads this one plan. */
public record FixedPlan(RecoveryPlan plan) implements PlanActivities {
    @Override
    public RecoveryPlan loadPlan(String name) {
        return plan;
    }
}
