package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The service Scenario 1 recovers: a compose project and its services, found on the Docker engine by the labels
 * {@code com.docker.compose.project} and {@code com.docker.compose.service}.
 */
public record ServiceSpec(
        @JsonProperty(required = true) String composeProject,
        @JsonProperty(required = true) List<ServiceContainer> containers,
        @JsonProperty(required = true) List<HealthCheck> healthChecks,
        List<HealthCheck> smoke,
        List<CommandStep> rebuild,
        Integer logTailLines) {

    public ServiceSpec {
        InvalidFieldException.requireText(composeProject, "composeProject");
        InvalidFieldException.require(containers != null && !containers.isEmpty(), "containers",
                "must list at least one service of the compose project");
        InvalidFieldException.require(healthChecks != null && !healthChecks.isEmpty(), "healthChecks",
                "must list at least one health check: without one, recovery cannot be verified");
        Set<String> seen = new HashSet<>();
        for (ServiceContainer c : containers) {
            InvalidFieldException.require(seen.add(c.service()), "containers",
                    "service \"" + c.service() + "\" is listed twice");
        }
        smoke = smoke == null ? List.of() : List.copyOf(smoke);
        rebuild = rebuild == null ? List.of() : List.copyOf(rebuild);
        containers = List.copyOf(containers);
        healthChecks = List.copyOf(healthChecks);
        for (HealthCheck h : concat(healthChecks, smoke)) {
            if (h.exec() != null) {
                InvalidFieldException.require(seen.contains(h.exec().service()), "healthChecks",
                        "check \"" + h.name() + "\" runs in service \"" + h.exec().service()
                                + "\", which is not in containers " + seen);
            }
        }
        logTailLines = logTailLines == null ? 100 : logTailLines;
        InvalidFieldException.require(logTailLines >= 0 && logTailLines <= 10_000, "logTailLines",
                "must be between 0 and 10000");
    }

    private static List<HealthCheck> concat(List<HealthCheck> a, List<HealthCheck> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    public List<String> serviceNames() {
        return containers.stream().map(ServiceContainer::service).toList();
    }
}
