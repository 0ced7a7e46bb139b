package io.romadr.scenario.siteloss;

import io.romadr.runtime.PlanInput;

/**
 * Start Scenario 3 for {@code plan}. {@code provider} overrides the plan's {@code site.provider} ("docker" or "aws");
 * {@code keepForForensics} keeps a failed recovery's server instead of terminating it (the plan's
 * {@code site.keepOnFailure} does the same). From the Web UI: {@code {"plan":"roma"}}.
 */
public record SiteRecoveryRequest(String plan, String provider, String requestedBy, String reason,
        Boolean keepForForensics) implements PlanInput {
    public SiteRecoveryRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
        keepForForensics = keepForForensics != null && keepForForensics;
    }
}
