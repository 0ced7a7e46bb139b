package io.romadr.scenario.siteloss;

/** An operator asks that a failed recovery keep its server for investigation instead of terminating it. */
public record ForensicsRequest(String requestedBy, String reason) {
    public ForensicsRequest {
        requestedBy = requestedBy == null ? "" : requestedBy.strip();
        reason = reason == null ? "" : reason.strip();
    }
}
