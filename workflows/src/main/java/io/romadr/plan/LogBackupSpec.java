package io.romadr.plan;

import java.util.List;

/**
 * Production logs (seed: P1): the container logs of {@code services} (all the plan's services when empty) shipped
 * into the backup store every {@code backup.schedule.logs} as compressed, checksummed, time-ranged objects.
 * Skeleton: the log shipping adds its fields (retention, ...) here.
 */
public record LogBackupSpec(List<String> services) {
    public LogBackupSpec {
        services = services == null ? List.of() : List.copyOf(services);
    }
}
