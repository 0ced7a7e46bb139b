package io.romadr.site;

import io.romadr.report.ApprovalDecision;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scenario 3 of the seed, "total system loss": provision a server, install its dependencies, restore the application
 * (source, secrets, images), start it, restore data, verify, move DNS, watch. Each phase is timed against the seed's
 * budget (0-30, 30-45, 45-60, 60-75, 75-90 min of the 90-minute RTO). A failure or a cancellation after provisioning
 * runs the compensation: the DNS record goes back and the new server is terminated, unless kept for forensics.
 * Start from the Web UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface SiteRecoveryWorkflow {
    String TYPE = "SiteRecoveryWorkflow";
    String SCENARIO = "site-loss";
    String APPROVE = "approve";
    String KEEP = "keep-for-forensics";

    @WorkflowMethod(name = TYPE)
    SiteRecoveryReport recover(SiteRecoveryRequest request);

    @QueryMethod
    SiteRecoveryReport progress();

    /** Go/no-go for the DNS cut-over when the plan asks for it; rejected by the validator when nothing is pending. */
    @UpdateMethod(name = APPROVE)
    String approve(ApprovalDecision decision);

    @UpdateValidatorMethod(updateName = APPROVE)
    void validateApprove(ApprovalDecision decision);

    /** Keep the server if this recovery fails (or is cancelled); must name who asks and why. */
    @UpdateMethod(name = KEEP)
    String keepForForensics(ForensicsRequest request);

    @UpdateValidatorMethod(updateName = KEEP)
    void validateKeep(ForensicsRequest request);

    /** A later trigger of this recovery (see {@link io.romadr.report.TriggerNotice}); recorded in the timeline. */
    @SignalMethod(name = io.romadr.temporal.RecoveryStarter.TRIGGER_SIGNAL)
    void triggerNotice(io.romadr.report.TriggerNotice notice);
}
