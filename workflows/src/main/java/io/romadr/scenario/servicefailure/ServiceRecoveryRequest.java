package io.romadr.scenario.servicefailure;

import io.romadr.runtime.PlanInput;

/**
 * Input of {@link ServiceRecoveryWorkflow}; from the Web UI: {@code {"plan":"roma"}}.
 *
 * @param plan        the plan's name (a file in the worker's plans directory)
 * @param reason      why the recovery was started (alert name, drill, operator's words); shown in the report
 * @param requestedBy who or what started it (an operator, "alertmanager", "drill")
 * @param detectedAt  when the incident was detected, RFC 3339 (an alert's {@code startsAt}); the RTO clock counts
 *                    from it when earlier than the request. Null: from the request.
 */
public record ServiceRecoveryRequest(String plan, String reason, String requestedBy, String detectedAt)
        implements
            PlanInput {
    public ServiceRecoveryRequest {
        reason = reason == null ? "" : reason;
        requestedBy = requestedBy == null ? "" : requestedBy;
    }

    /** Counted from the request (no detection time). */
    public ServiceRecoveryRequest(String plan, String reason, String requestedBy) {
        this(plan, reason, requestedBy, null);
    }

    public static ServiceRecoveryRequest of(String plan) {
        return new ServiceRecoveryRequest(plan, "", "");
    }
}
