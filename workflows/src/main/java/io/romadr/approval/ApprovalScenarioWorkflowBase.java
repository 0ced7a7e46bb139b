package io.romadr.approval;

import io.romadr.report.ApprovalDecision;
import io.romadr.runtime.ScenarioWorkflowBase;

/** A scenario workflow implementation that waits for an operator's go/no-go: its gate answers the approve update. */
public abstract class ApprovalScenarioWorkflowBase<R> extends ScenarioWorkflowBase<R> implements ApprovalUpdate {
    protected final ApprovalGate gate = new ApprovalGate(notifier);

    @Override
    public String approve(ApprovalDecision decision) {
        return gate.decide(decision);
    }

    @Override
    public void validateApprove(ApprovalDecision decision) {
        gate.validate(decision);
    }
}
