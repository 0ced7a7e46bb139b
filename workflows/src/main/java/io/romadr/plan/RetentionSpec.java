package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/** How long each backup kind is kept; the defaults are the seed's retention. */
public record RetentionSpec(Rule state, Rule artifacts, Rule secrets) {

    public static final RetentionSpec SEED = new RetentionSpec(null, null, null);

    public RetentionSpec {
        state = state == null ? new Rule(Duration.ofDays(7), Duration.ofDays(90), null) : state;
        artifacts = artifacts == null ? new Rule(null, Duration.ofDays(90), null) : artifacts;
        secrets = secrets == null ? new Rule(null, null, 10) : secrets;
    }

    /**
     * Keep the newest backup of every hour for {@code hourlyFor}, of every day (UTC) for {@code dailyFor}, and the
     * newest {@code keepLast}. Whatever the rule, the newest verified backup is always kept.
     */
    public record Rule(
            @JsonDeserialize(using = DurationDeserializer.class) Duration hourlyFor,
            @JsonDeserialize(using = DurationDeserializer.class) Duration dailyFor,
            @JsonProperty Integer keepLast) {
        public Rule {
            hourlyFor = hourlyFor == null ? Duration.ZERO : hourlyFor;
            dailyFor = dailyFor == null ? Duration.ZERO : dailyFor;
            keepLast = keepLast == null ? 0 : keepLast;
            InvalidFieldException.require(!hourlyFor.isNegative(), "hourlyFor", "must not be negative");
            InvalidFieldException.require(!dailyFor.isNegative(), "dailyFor", "must not be negative");
            InvalidFieldException.require(keepLast >= 0, "keepLast", "must not be negative");
            InvalidFieldException.require(keepLast > 0 || !hourlyFor.isZero() || !dailyFor.isZero(), "keepLast",
                    "a rule must keep something: set hourlyFor, dailyFor or keepLast");
        }
    }
}
