package io.romadr.worker;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryClaimActivities;
import io.romadr.temporal.RecoveryStarter;

/**
 * The claim a recovery started under its own ID makes (see {@code SingleRecoveryCheck}): the same rule as every
 * other start ({@link RecoveryStarter#claim}), with the plan's {@code recovery.concurrentScenarios}. Only reads the
 * server and sends one signal, so repeating it is harmless.
 */
final class RecoveryClaims implements RecoveryClaimActivities {
    private final RecoveryStarter starter;
    private final PlanActivities plans;

    RecoveryClaims(RecoveryStarter starter, PlanActivities plans) {
        this.starter = starter;
        this.plans = plans;
    }

    @Override
    public Claim claim(ClaimRequest request) {
        RecoveryPlan plan = load(request.plan());
        if (plan == null) {
            // Nothing can run for a plan that does not load: its load-plan step fails the run with the reason.
            return new Claim("STARTED", request.workflowId(), request.scenario(), "");
        }
        TriggerNotice notice = new TriggerNotice("workflow-start", request.requestedBy(), request.workflowId(),
                "requested", "", "started as " + request.workflowId() + " (e.g. from the Web UI)");
        var outcome = starter.claim(request.scenario(), request.plan(),
                request.workflowId(), request.runId(), notice,
                RecoveryStarter.concurrentScenarios(() -> plan));
        String message = switch (outcome.action()) {
            case STARTED -> "";
            case ATTACHED -> "a " + request.scenario() + " recovery of plan \"" + request.plan()
                    + "\" is already running as " + outcome.workflowId() + "; this start was recorded there as a"
                    + " trigger and changes nothing. Follow " + outcome.workflowId() + ".";
            case REFUSED -> "not started: " + outcome.describe();
        };
        return new Claim(outcome.action().name(), outcome.workflowId(), outcome.scenario(), message);
    }

    private RecoveryPlan load(String plan) {
        try {
            return plans == null ? null : plans.loadPlan(plan);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
