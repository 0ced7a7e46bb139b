package io.romadr.scenario.datacorruption;

import io.romadr.runtime.PlanInput;

/**
 * Input of Scenario 2: {@code {"plan":"roma"}} from the Web UI; {@code reason} goes in the report.
 * {@code detectedAt}: when the incident was detected, RFC 3339; the RTO clock counts from it when earlier than the
 * request (null: from the request).
 */
public record DataRecoveryRequest(String plan, String requestedBy, String reason, String detectedAt)
        implements
            PlanInput {
    public DataRecoveryRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
    }

    /** Counted from the request (no detection time). */
    public DataRecoveryRequest(String plan, String requestedBy, String reason) {
        this(plan, requestedBy, reason, null);
    }
}
