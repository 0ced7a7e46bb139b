package io.romadr.scenario.security;

import io.romadr.plan.ServiceSpec;
import java.util.List;

/** Find the containers of {@code services} (empty: every service of the plan) of the plan's compose project. */
public record IncidentAssessRequest(ServiceSpec service, List<String> services) {
    public IncidentAssessRequest {
        services = services == null ? List.of() : List.copyOf(services);
    }

    /** The services this request looks at. */
    public List<String> targets() {
        return services.isEmpty() ? service.serviceNames() : services;
    }
}
