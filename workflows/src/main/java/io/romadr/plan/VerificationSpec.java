package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * Weekly backup verification: the newest backup of each kind older than its max age is reported STALE. Defaults
 * from the seed's verification section: state 2 h, artifacts 24 h; secrets 2 d (they are backed up daily); a git
 * backup's branch tips at most 24 h of commits behind the primary's. {@code rpoSlack} (1 m): how far a measured
 * lag may exceed the plan's RPO before the "rpo" rows and the lag alert say so, the time a backup takes to run and
 * commit (so the source code's RPO of 0, "continuous", is met by lags up to 1 m; docs/backups.md, "Measured RPO").
 */
public record VerificationSpec(
        @JsonDeserialize(using = DurationDeserializer.class) Duration stateMaxAge,
        @JsonDeserialize(using = DurationDeserializer.class) Duration artifactsMaxAge,
        @JsonDeserialize(using = DurationDeserializer.class) Duration secretsMaxAge,
        @JsonDeserialize(using = DurationDeserializer.class) Duration gitMaxLag,
        @JsonDeserialize(using = DurationDeserializer.class) Duration rpoSlack) {

    public static final VerificationSpec SEED = new VerificationSpec(null, null, null, null, null);

    /** Without {@code rpoSlack} (the measured RPO's 1 m). */
    public VerificationSpec(Duration stateMaxAge, Duration artifactsMaxAge, Duration secretsMaxAge,
            Duration gitMaxLag) {
        this(stateMaxAge, artifactsMaxAge, secretsMaxAge, gitMaxLag, null);
    }

    public VerificationSpec {
        stateMaxAge = stateMaxAge == null ? Duration.ofHours(2) : stateMaxAge;
        artifactsMaxAge = artifactsMaxAge == null ? Duration.ofHours(24) : artifactsMaxAge;
        secretsMaxAge = secretsMaxAge == null ? Duration.ofDays(2) : secretsMaxAge;
        gitMaxLag = gitMaxLag == null ? Duration.ofHours(24) : gitMaxLag;
        rpoSlack = rpoSlack == null ? Duration.ofMinutes(1) : rpoSlack;
        InvalidFieldException.require(!rpoSlack.isNegative(), "rpoSlack", "must not be negative");
        InvalidFieldException.require(!gitMaxLag.isNegative() && !gitMaxLag.isZero(), "gitMaxLag", "must be positive");
        InvalidFieldException.require(!stateMaxAge.isNegative() && !stateMaxAge.isZero(), "stateMaxAge",
                "must be positive");
        InvalidFieldException.require(!artifactsMaxAge.isNegative() && !artifactsMaxAge.isZero(), "artifactsMaxAge",
                "must be positive");
        InvalidFieldException.require(!secretsMaxAge.isNegative() && !secretsMaxAge.isZero(), "secretsMaxAge",
                "must be positive");
    }
}
