package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * Weekly backup verification: the newest backup of each kind older than its max age is reported STALE. Defaults
 * from the seed's verification section: state 2 h, artifacts 24 h; secrets 2 d (they are backed up daily); a git
 * backup's branch tips at most 24 h of commits behind the primary's.
 */
public record VerificationSpec(
        @JsonDeserialize(using = DurationDeserializer.class) Duration stateMaxAge,
        @JsonDeserialize(using = DurationDeserializer.class) Duration artifactsMaxAge,
        @JsonDeserialize(using = DurationDeserializer.class) Duration secretsMaxAge,
        @JsonDeserialize(using = DurationDeserializer.class) Duration gitMaxLag) {

    public static final VerificationSpec SEED = new VerificationSpec(null, null, null, null);

    public VerificationSpec {
        stateMaxAge = stateMaxAge == null ? Duration.ofHours(2) : stateMaxAge;
        artifactsMaxAge = artifactsMaxAge == null ? Duration.ofHours(24) : artifactsMaxAge;
        secretsMaxAge = secretsMaxAge == null ? Duration.ofDays(2) : secretsMaxAge;
        gitMaxLag = gitMaxLag == null ? Duration.ofHours(24) : gitMaxLag;
        InvalidFieldException.require(!gitMaxLag.isNegative() && !gitMaxLag.isZero(), "gitMaxLag", "must be positive");
        InvalidFieldException.require(!stateMaxAge.isNegative() && !stateMaxAge.isZero(), "stateMaxAge",
                "must be positive");
        InvalidFieldException.require(!artifactsMaxAge.isNegative() && !artifactsMaxAge.isZero(), "artifactsMaxAge",
                "must be positive");
        InvalidFieldException.require(!secretsMaxAge.isNegative() && !secretsMaxAge.isZero(), "secretsMaxAge",
                "must be positive");
    }
}
