package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** Recovery point objectives per data type, as in the seed's RPO table. */
public record RpoTargets(
        @JsonDeserialize(using = DurationDeserializer.class) Duration sourceCode,
        @JsonDeserialize(using = DurationDeserializer.class) Duration containerImages,
        @JsonDeserialize(using = DurationDeserializer.class) Duration executionState,
        @JsonDeserialize(using = DurationDeserializer.class) Duration artifacts) {

    public static final RpoTargets SEED = new RpoTargets(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(1),
            Duration.ofHours(24));

    public RpoTargets {
        sourceCode = sourceCode == null ? Duration.ZERO : sourceCode;
        containerImages = containerImages == null ? Duration.ofHours(1) : containerImages;
        executionState = executionState == null ? Duration.ofHours(1) : executionState;
        artifacts = artifacts == null ? Duration.ofHours(24) : artifacts;
    }

}
