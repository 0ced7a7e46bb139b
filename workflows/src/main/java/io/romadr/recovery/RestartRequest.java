package io.romadr.recovery;

import io.romadr.plan.ServiceSpec;
import java.time.Duration;

/** Restart every container of the service; {@code stopTimeout} before the engine kills a container. */
public record RestartRequest(ServiceSpec service, Duration stopTimeout) {}
