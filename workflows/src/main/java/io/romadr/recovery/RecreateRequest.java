package io.romadr.recovery;

import io.romadr.plan.ServiceSpec;
import java.time.Duration;

/**
 * Remove and create the service's containers again from their own configuration (or the plan's template when a
 * container is gone). {@code recoveryKey} labels the new containers, so a retried attempt sees its own work and
 * does not recreate twice.
 */
public record RecreateRequest(ServiceSpec service, Duration stopTimeout, String recoveryKey) {}
