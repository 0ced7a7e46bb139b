package io.romadr.scenario.gitloss;

import io.romadr.approval.ApprovalUpdate;
import io.romadr.runtime.TriggerSignal;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scenario 4 of the seed, "git repository lost/corrupted": probe every remote, choose the history to restore by
 * ancestry, wait for an operator's approval before force-updating or recreating the primary, restore it, verify a
 * fresh clone. Start from the Web UI with {@code {"plan":"roma"}}; approve with the update {@code approve}.
 */
@WorkflowInterface
public interface GitRecoveryWorkflow extends ApprovalUpdate, TriggerSignal {
    String TYPE = "GitRecoveryWorkflow";
    String SCENARIO = "git-loss";

    @WorkflowMethod(name = TYPE)
    GitRecoveryReport recover(GitRecoveryRequest request);

    @QueryMethod
    GitRecoveryReport progress();
}
