package io.romadr.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Asks the Temporal server whether a recovery started under its own ID may run (see {@link SingleRecoveryCheck}). */
@ActivityInterface
public interface RecoveryClaimActivities {
    /**
     * @param scenario    the recovery's scenario
     * @param plan        its plan
     * @param workflowId  its workflow ID
     * @param runId       its run ID
     * @param requestedBy who started it, from its input (may be empty)
     */
    record ClaimRequest(String scenario, String plan, String workflowId, String runId, String requestedBy) {
    }

    /** {@code action} is STARTED (go on), ATTACHED or REFUSED (then {@code workflowId} is the one that runs). */
    record Claim(String action, String workflowId, String scenario, String message) {
    }

    @ActivityMethod(name = "ClaimRecovery")
    Claim claim(ClaimRequest request);
}
