package io.romadr.scenario.datacorruption;

import java.time.Duration;

/** The producer's containers: compose {@code project}/{@code service}; {@code stopTimeout} before SIGKILL. */
public record ProducerRequest(String project, String service, Duration stopTimeout) {
}
