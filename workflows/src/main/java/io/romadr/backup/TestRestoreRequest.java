package io.romadr.backup;

import io.romadr.plan.BackupStore;
import io.romadr.plan.HealthCheck;
import java.time.Duration;
import java.util.List;

/**
 * Test-restore {@code manifest} (a state snapshot) into a throwaway container named {@code sandboxName}, made from
 * the image of the plan's {@code service} container in compose project {@code project}; {@code checks} are the
 * plan's health checks (HTTP URLs are pointed at the sandbox's published port, exec checks run inside it).
 */
public record TestRestoreRequest(BackupStore store, BackupManifest manifest, String project, String service,
        String path, List<HealthCheck> checks, Duration waitHealthy, Duration pollInterval, String sandboxName) {
    public TestRestoreRequest {
        checks = checks == null ? List.of() : List.copyOf(checks);
    }
}
