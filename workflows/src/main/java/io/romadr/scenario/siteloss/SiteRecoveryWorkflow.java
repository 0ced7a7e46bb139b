package io.romadr.scenario.siteloss;

import io.romadr.approval.ApprovalUpdate;
import io.romadr.runtime.TriggerSignal;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scenario 3 of the seed, "total system loss": provision a server, install its dependencies, restore the application
 * (source, secrets, images), start it, restore data, verify, move DNS, watch. Each phase is timed against the seed's
 * budget (0-30, 30-45, 45-60, 60-75, 75-90 min of the 90-minute RTO). A failure or a cancellation after provisioning
 * runs the compensation: the DNS record goes back and the new server is terminated, unless kept for forensics.
 * Start from the Web UI with {@code {"plan":"roma"}}; the update {@code approve} is the go/no-go for the DNS
 * cut-over when the plan asks for it.
 */
@WorkflowInterface
public interface SiteRecoveryWorkflow extends ApprovalUpdate, TriggerSignal {
    String TYPE = "SiteRecoveryWorkflow";
    String SCENARIO = "site-loss";
    String KEEP = "keep-for-forensics";

    @WorkflowMethod(name = TYPE)
    SiteRecoveryReport recover(SiteRecoveryRequest request);

    @QueryMethod
    SiteRecoveryReport progress();

    /** Keep the server if this recovery fails (or is cancelled); must name who asks and why. */
    @UpdateMethod(name = KEEP)
    String keepForForensics(ForensicsRequest request);

    @UpdateValidatorMethod(updateName = KEEP)
    void validateKeep(ForensicsRequest request);
}
