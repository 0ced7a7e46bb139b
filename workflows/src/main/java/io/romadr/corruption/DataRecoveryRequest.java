package io.romadr.corruption;

/** Input of Scenario 2: {@code {"plan":"roma"}} from the Web UI; {@code reason} goes in the report. */
public record DataRecoveryRequest(String plan, String requestedBy, String reason) {
    public DataRecoveryRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
    }
}
