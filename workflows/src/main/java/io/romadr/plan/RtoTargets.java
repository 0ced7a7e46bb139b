package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * Recovery time objectives per component, as in the seed's RTO table; {@code regionOutage} (seed: "Region outage,
 * RTO 4 h, multi-region") is Scenario 3 run in the failover region (docs/regions.md).
 */
public record RtoTargets(
        @JsonProperty(required = true) @JsonDeserialize(using = DurationDeserializer.class) Duration service,
        @JsonDeserialize(using = DurationDeserializer.class) Duration artifacts,
        @JsonDeserialize(using = DurationDeserializer.class) Duration executionHistory,
        @JsonDeserialize(using = DurationDeserializer.class) Duration documentation,
        @JsonDeserialize(using = DurationDeserializer.class) Duration siteLoss,
        @JsonDeserialize(using = DurationDeserializer.class) Duration regionOutage) {

    public RtoTargets {
        InvalidFieldException.require(service != null && !service.isZero(), "service",
                "is required and must be longer than zero, e.g. 15m");
        artifacts = artifacts == null ? Duration.ofHours(4) : artifacts;
        executionHistory = executionHistory == null ? Duration.ofHours(24) : executionHistory;
        documentation = documentation == null ? Duration.ofDays(7) : documentation;
        siteLoss = siteLoss == null ? Duration.ofMinutes(90) : siteLoss;
        regionOutage = regionOutage == null ? Duration.ofHours(4) : regionOutage;
        InvalidFieldException.require(!artifacts.isZero(), "artifacts", "must be longer than zero");
        InvalidFieldException.require(!executionHistory.isZero(), "executionHistory", "must be longer than zero");
        InvalidFieldException.require(!documentation.isZero(), "documentation", "must be longer than zero");
        InvalidFieldException.require(!siteLoss.isZero(), "siteLoss", "must be longer than zero");
        InvalidFieldException.require(!regionOutage.isZero(), "regionOutage", "must be longer than zero");
    }

    /** Without a region-outage target (tests and fixtures written before {@code rto.regionOutage}): the seed's 4 h. */
    public RtoTargets(Duration service, Duration artifacts, Duration executionHistory, Duration documentation,
            Duration siteLoss) {
        this(service, artifacts, executionHistory, documentation, siteLoss, null);
    }
}
