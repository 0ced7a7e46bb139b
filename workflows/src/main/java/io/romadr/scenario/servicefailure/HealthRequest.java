package io.romadr.scenario.servicefailure;

import io.romadr.plan.HealthCheck;
import java.time.Duration;
import java.util.List;

/**
 * Run {@code checks} until all pass or {@code within} is spent, every {@code pollInterval}; with {@code within}
 * zero, one round. Exec checks find their container in {@code composeProject}.
 */
public record HealthRequest(String composeProject, List<HealthCheck> checks, Duration within, Duration pollInterval) {
    public HealthRequest {
        checks = List.copyOf(checks);
    }

    public static HealthRequest once(String composeProject, List<HealthCheck> checks) {
        return new HealthRequest(composeProject, checks, Duration.ZERO, Duration.ofSeconds(1));
    }
}
