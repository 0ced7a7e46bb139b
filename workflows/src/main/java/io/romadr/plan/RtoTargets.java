package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** Recovery time objectives per component, as in the seed's RTO table. */
public record RtoTargets(
        @JsonProperty(required = true) @JsonDeserialize(using = DurationDeserializer.class) Duration service,
        @JsonDeserialize(using = DurationDeserializer.class) Duration artifacts,
        @JsonDeserialize(using = DurationDeserializer.class) Duration executionHistory,
        @JsonDeserialize(using = DurationDeserializer.class) Duration documentation,
        @JsonDeserialize(using = DurationDeserializer.class) Duration siteLoss) {

    public RtoTargets {
        InvalidFieldException.require(service != null && !service.isZero(), "service",
                "is required and must be longer than zero, e.g. 15m");
        artifacts = artifacts == null ? Duration.ofHours(4) : artifacts;
        executionHistory = executionHistory == null ? Duration.ofHours(24) : executionHistory;
        documentation = documentation == null ? Duration.ofDays(7) : documentation;
        siteLoss = siteLoss == null ? Duration.ofMinutes(90) : siteLoss;
        InvalidFieldException.require(!artifacts.isZero(), "artifacts", "must be longer than zero");
        InvalidFieldException.require(!executionHistory.isZero(), "executionHistory", "must be longer than zero");
        InvalidFieldException.require(!documentation.isZero(), "documentation", "must be longer than zero");
        InvalidFieldException.require(!siteLoss.isZero(), "siteLoss", "must be longer than zero");
    }
}
