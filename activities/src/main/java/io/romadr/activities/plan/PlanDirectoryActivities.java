package io.romadr.activities.plan;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.temporal.failure.ApplicationFailure;

/** Reads plans from the worker's plans directory. A missing or invalid plan is not retried: it will not heal. */
public final class PlanDirectoryActivities implements PlanActivities {
    private final PlanRepository plans;

    public PlanDirectoryActivities(PlanRepository plans) {
        this.plans = plans;
    }

    @Override
    public RecoveryPlan loadPlan(String name) {
        try {
            return plans.load(name);
        } catch (PlanRepository.PlanNotFoundException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "PlanNotFound");
        } catch (PlanException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "InvalidPlan");
        }
    }
}
