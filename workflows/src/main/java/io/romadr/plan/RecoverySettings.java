package io.romadr.plan;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * How Scenario 1 escalates and watches. Defaults follow the seed: wait up to a minute after each action, then
 * "monitor for 15 minutes". {@code concurrentScenarios: true} lets recoveries of different scenarios of the plan run
 * at the same time (by default a start is refused while another scenario's recovery of the plan runs).
 */
public record RecoverySettings(
        @JsonDeserialize(using = DurationDeserializer.class) Duration waitHealthy,
        @JsonDeserialize(using = DurationDeserializer.class) Duration pollInterval,
        @JsonDeserialize(using = DurationDeserializer.class) Duration stopTimeout,
        @JsonDeserialize(using = DurationDeserializer.class) Duration watchWindow,
        @JsonDeserialize(using = DurationDeserializer.class) Duration watchInterval,
        Integer maxRelapses,
        Boolean concurrentScenarios) {

    public static final RecoverySettings DEFAULTS = new RecoverySettings(null, null, null, null, null, null);

    /** Without {@code concurrentScenarios}: one recovery of the plan at a time, whatever its scenario. */
    public RecoverySettings(Duration waitHealthy, Duration pollInterval, Duration stopTimeout, Duration watchWindow,
            Duration watchInterval, Integer maxRelapses) {
        this(waitHealthy, pollInterval, stopTimeout, watchWindow, watchInterval, maxRelapses, null);
    }

    public RecoverySettings {
        waitHealthy = waitHealthy == null ? Duration.ofSeconds(60) : waitHealthy;
        pollInterval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
        stopTimeout = stopTimeout == null ? Duration.ofSeconds(10) : stopTimeout;
        watchWindow = watchWindow == null ? Duration.ofMinutes(15) : watchWindow;
        watchInterval = watchInterval == null ? Duration.ofSeconds(30) : watchInterval;
        maxRelapses = maxRelapses == null ? 2 : maxRelapses;
        concurrentScenarios = concurrentScenarios != null && concurrentScenarios;
        InvalidFieldException.require(!waitHealthy.isZero(), "waitHealthy", "must be longer than zero");
        InvalidFieldException.require(!pollInterval.isZero(), "pollInterval", "must be longer than zero");
        InvalidFieldException.require(pollInterval.compareTo(waitHealthy) <= 0, "pollInterval",
                "must not be longer than waitHealthy (" + Durations.format(waitHealthy) + ")");
        InvalidFieldException.require(watchWindow.isZero() || !watchInterval.isZero(), "watchInterval",
                "must be longer than zero when a watch window is set");
        InvalidFieldException.require(maxRelapses >= 0 && maxRelapses <= 20, "maxRelapses",
                "must be between 0 and 20");
    }
}
