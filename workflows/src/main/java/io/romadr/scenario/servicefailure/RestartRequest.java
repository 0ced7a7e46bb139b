package io.romadr.scenario.servicefailure;

import io.romadr.plan.ServiceSpec;
import java.time.Duration;
import java.util.List;

/**
 * Restart the containers of {@code services} (all of the plan's services when empty); {@code stopTimeout} before
 * the engine kills a container. A container running since after {@code since} (epoch millis; 0: since the activity
 * was scheduled) was restarted by this step already: the key that keeps a step called again after a lost worker
 * from restarting twice.
 */
public record RestartRequest(ServiceSpec service, Duration stopTimeout, List<String> services, long since) {
    public RestartRequest {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public RestartRequest(ServiceSpec service, Duration stopTimeout, List<String> services) {
        this(service, stopTimeout, services, 0);
    }

    /** The services this request acts on. */
    public List<String> targets() {
        return services.isEmpty() ? service.serviceNames() : services;
    }
}
