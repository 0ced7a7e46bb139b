package io.romadr.approval;

import io.romadr.report.ApprovalDecision;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;

/**
 * The update an operator answers an {@link ApprovalGate} with, for the scenario workflows that wait for one (their
 * workflow interface extends this one; the SDK registers the inherited handler under the same name).
 */
public interface ApprovalUpdate {
    String APPROVE = "approve";

    /** An operator approves or rejects the pending step; rejected by the validator when nothing is pending. */
    @UpdateMethod(name = APPROVE)
    String approve(ApprovalDecision decision);

    @UpdateValidatorMethod(updateName = APPROVE)
    void validateApprove(ApprovalDecision decision);
}
