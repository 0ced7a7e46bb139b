package io.romadr.plan;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Loads a plan on the worker, so the plan a recovery used is recorded in its history. */
@ActivityInterface
public interface PlanActivities {
    @ActivityMethod
    RecoveryPlan loadPlan(String name);
}
