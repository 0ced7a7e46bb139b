package io.romadr.gitrecovery;

import io.romadr.report.ApprovalDecision;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scenario 4 of the seed, "git repository lost/corrupted": probe every remote, choose the history to restore by
 * ancestry, wait for an operator's approval before force-updating or recreating the primary, restore it, verify a
 * fresh clone. Start from the Web UI with {@code {"plan":"roma"}}; approve with the update {@code approve}.
 */
@WorkflowInterface
public interface GitRecoveryWorkflow {
    String TYPE = "GitRecoveryWorkflow";
    String SCENARIO = "git-loss";
    String APPROVE = "approve";

    @WorkflowMethod(name = TYPE)
    GitRecoveryReport recover(GitRecoveryRequest request);

    @QueryMethod
    GitRecoveryReport progress();

    /** An operator approves or rejects the pending step; rejected by the validator when nothing is pending. */
    @UpdateMethod(name = APPROVE)
    String approve(ApprovalDecision decision);

    @UpdateValidatorMethod(updateName = APPROVE)
    void validateApprove(ApprovalDecision decision);

    /** A later trigger of this recovery (see {@link io.romadr.report.TriggerNotice}); recorded in the timeline. */
    @SignalMethod(name = io.romadr.temporal.RecoveryStarter.TRIGGER_SIGNAL)
    void triggerNotice(io.romadr.report.TriggerNotice notice);
}
