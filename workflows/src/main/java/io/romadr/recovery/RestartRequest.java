package io.romadr.recovery;

import io.romadr.plan.ServiceSpec;
import java.time.Duration;
import java.util.List;

/**
 * Restart the containers of {@code services} (all of the plan's services when empty); {@code stopTimeout} before
 * the engine kills a container.
 */
public record RestartRequest(ServiceSpec service, Duration stopTimeout, List<String> services) {
    public RestartRequest {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** The services this request acts on. */
    public List<String> targets() {
        return services.isEmpty() ? service.serviceNames() : services;
    }
}
