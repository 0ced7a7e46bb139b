package io.romadr.scenario.servicefailure;

import io.romadr.plan.ServiceSpec;
import java.time.Duration;
import java.util.List;

/**
 * Remove and create the containers of {@code services} (all of the plan's services when empty) again from their
 * own configuration, or from the plan's template when a container is gone. {@code recoveryKey} labels the new
 * containers, so a retried attempt sees its own work and does not recreate twice.
 */
public record RecreateRequest(ServiceSpec service, Duration stopTimeout, String recoveryKey, List<String> services) {
    public RecreateRequest {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** The services this request acts on. */
    public List<String> targets() {
        return services.isEmpty() ? service.serviceNames() : services;
    }
}
