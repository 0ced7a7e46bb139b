package io.romadr.scenario.security;

import io.romadr.runtime.PlanInput;
import java.util.List;

/**
 * Input of the security-incident scenario: {@code {"plan":"roma"}} from the Web UI. {@code services}: the compose
 * services affected (empty: all of the plan's); {@code contain}: {@code stop} or {@code disconnect} (null: the plan's
 * {@code security.contain}); {@code knownGoodCommit}: the commit to redeploy from (null: the newest commit of the
 * plan's first backup git remote); {@code detectedAt}: when the incident was detected, RFC 3339 (the clock counts
 * from it when earlier than the request).
 */
public record SecurityIncidentRequest(String plan, String requestedBy, String reason, List<String> services,
        String contain, String knownGoodCommit, String detectedAt)
        implements
            PlanInput {
    public SecurityIncidentRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
        services = services == null ? List.of() : List.copyOf(services);
    }
}
