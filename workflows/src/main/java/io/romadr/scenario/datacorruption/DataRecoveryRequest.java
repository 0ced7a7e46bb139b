package io.romadr.scenario.datacorruption;

import io.romadr.runtime.PlanInput;

/** Input of Scenario 2: {@code {"plan":"roma"}} from the Web UI; {@code reason} goes in the report. */
public record DataRecoveryRequest(String plan, String requestedBy, String reason) implements PlanInput {
    public DataRecoveryRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
    }
}
