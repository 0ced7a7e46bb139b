package io.romadr.scenario.drill;

import io.romadr.plan.RecoveryPlan;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * What a drill does to and reads from its target, besides the scenario's own recovery: documents the state before,
 * injects the fault, and checks the recovery independently of the scenario's workflow. Every method is idempotent.
 */
@ActivityInterface
public interface DrillActivities {
    /**
     * The seed's "document current state": the plan's containers with their state and image digest, the newest
     * backup of each kind in the plan's store and its age. Reads only.
     */
    @ActivityMethod
    DrillState documentState(RecoveryPlan plan);

    /**
     * Breaks the target as {@code request} says. Looks at the target first: a fault an earlier attempt injected
     * (after a worker crash) is reported as such, never injected twice.
     */
    @ActivityMethod
    FaultResult injectFault(FaultRequest request);

    /** Independent checks after the recovery: the plan's health checks answer and the images are the ones before. */
    @ActivityMethod
    DrillVerification verifyRecovered(VerifyRecoveredRequest request);
}
