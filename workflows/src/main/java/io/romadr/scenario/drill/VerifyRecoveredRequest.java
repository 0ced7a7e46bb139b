package io.romadr.scenario.drill;

import io.romadr.plan.RecoveryPlan;

/**
 * What the independent check after the recovery compares.
 *
 * @param scenario the scenario drilled: which checks run
 * @param plan     the drilled plan
 * @param before   the state documented before the fault ({@link DrillActivities#documentState})
 */
public record VerifyRecoveredRequest(String scenario, RecoveryPlan plan, DrillState before) {
    public VerifyRecoveredRequest {
        before = before == null ? new DrillState(null, null, null) : before;
    }
}
