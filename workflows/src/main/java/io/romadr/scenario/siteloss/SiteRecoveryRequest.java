package io.romadr.scenario.siteloss;

import io.romadr.runtime.PlanInput;

/**
 * Start Scenario 3 for {@code plan}. {@code provider} overrides the plan's {@code site.provider} ("docker" or "aws");
 * {@code keepForForensics} keeps a failed recovery's server instead of terminating it (the plan's
 * {@code site.keepOnFailure} does the same). {@code region}: the region to recover in; the plan's
 * {@code regions.failover} makes it a region outage (the server from {@code site.failover}, the backups from
 * {@code backup.replica}, the RTO {@code rto.regionOutage}; docs/regions.md), its {@code regions.primary} or none an
 * ordinary site loss. From the Web UI: {@code {"plan":"roma"}}, or {@code {"plan":"roma","region":"us-west-2"}} on the
 * task queue {@code roma-dr-us-west-2}. {@code detectedAt}: when the incident was detected, RFC 3339; the RTO clock
 * counts from it when earlier than the request (null: from the request).
 */
public record SiteRecoveryRequest(String plan, String provider, String requestedBy, String reason,
        Boolean keepForForensics, String region, String detectedAt) implements PlanInput {
    public SiteRecoveryRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        reason = reason == null ? "" : reason;
        keepForForensics = keepForForensics != null && keepForForensics;
        region = region == null ? "" : region.trim();
    }

    /** In the plan's primary region (or a plan without regions). */
    public SiteRecoveryRequest(String plan, String provider, String requestedBy, String reason,
            Boolean keepForForensics) {
        this(plan, provider, requestedBy, reason, keepForForensics, null, null);
    }

    /** Counted from the request (no detection time). */
    public SiteRecoveryRequest(String plan, String provider, String requestedBy, String reason,
            Boolean keepForForensics, String region) {
        this(plan, provider, requestedBy, reason, keepForForensics, region, null);
    }
}
