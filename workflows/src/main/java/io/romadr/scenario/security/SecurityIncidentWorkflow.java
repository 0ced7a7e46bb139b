package io.romadr.scenario.security;

import io.romadr.approval.ApprovalUpdate;
import io.romadr.runtime.TriggerSignal;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The seed's "Security breach - impact critical - RTO immediate": assess the affected containers, contain them after
 * an approval, preserve their evidence in the backup store, then after a second approval rotate the credentials,
 * redeploy from the backup registry's known-good digests, verify, and export a fresh encrypted secrets backup. Start
 * from the Web UI with {@code {"plan":"roma"}}; approve each gate with the update {@code approve}.
 */
@WorkflowInterface
public interface SecurityIncidentWorkflow extends ApprovalUpdate, TriggerSignal {
    String TYPE = "SecurityIncidentWorkflow";
    String SCENARIO = "security-incident";

    @WorkflowMethod(name = TYPE)
    SecurityIncidentReport respond(SecurityIncidentRequest request);

    @QueryMethod
    SecurityIncidentReport progress();
}
