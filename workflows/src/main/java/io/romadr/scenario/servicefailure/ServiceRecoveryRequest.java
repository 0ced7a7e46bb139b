package io.romadr.scenario.servicefailure;

import io.romadr.runtime.PlanInput;

/**
 * Input of {@link ServiceRecoveryWorkflow}; from the Web UI: {@code {"plan":"roma"}}.
 *
 * @param plan        the plan's name (a file in the worker's plans directory)
 * @param reason      why the recovery was started (alert name, drill, operator's words); shown in the report
 * @param requestedBy who or what started it (an operator, "alertmanager", "drill")
 */
public record ServiceRecoveryRequest(String plan, String reason, String requestedBy) implements PlanInput {
    public ServiceRecoveryRequest {
        reason = reason == null ? "" : reason;
        requestedBy = requestedBy == null ? "" : requestedBy;
    }

    public static ServiceRecoveryRequest of(String plan) {
        return new ServiceRecoveryRequest(plan, "", "");
    }
}
