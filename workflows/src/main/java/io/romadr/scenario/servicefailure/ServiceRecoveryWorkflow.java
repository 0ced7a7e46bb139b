package io.romadr.scenario.servicefailure;

import io.romadr.report.Progress;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.runtime.TriggerSignal;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Scenario 1 of the seed, "complete service failure": assess, restart, recreate, rebuild, verify, watch; each step
 * timed against the plan's service RTO.
 */
@WorkflowInterface
public interface ServiceRecoveryWorkflow extends TriggerSignal {
    String TYPE = "ServiceRecoveryWorkflow";
    String SCENARIO = "service-failure";

    @WorkflowMethod(name = TYPE)
    ServiceRecoveryReport recover(ServiceRecoveryRequest request);

    @QueryMethod
    Progress progress();

    /**
     * An alert source reports on the alert that started (or concerns) this recovery. Kept for recorded histories
     * and senders from before {@link #triggerNotice}, which every roma-dr starter uses now.
     */
    @SignalMethod
    void alertNotice(AlertNotice notice);
}
