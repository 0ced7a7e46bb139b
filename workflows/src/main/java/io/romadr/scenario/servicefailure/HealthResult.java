package io.romadr.scenario.servicefailure;

import java.util.List;
import java.util.stream.Collectors;

/** The last round of checks of a health probe, and how many rounds it took. */
public record HealthResult(boolean healthy, List<CheckResult> checks, int probes, long waitedMillis, int attempt) {
    public HealthResult {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }

    /** A probe whose activity failed (retries spent): unhealthy, with no check results. */
    public static HealthResult failedAfter(int attempts) {
        return new HealthResult(false, List.of(), 0, 0, attempts);
    }

    public String summary() {
        return checks.stream().map(c -> c.name() + (c.ok() ? " ok" : " FAILED: " + c.detail()))
                .collect(Collectors.joining("; "));
    }
}
