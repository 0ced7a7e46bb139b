package io.romadr.backup;

import io.romadr.plan.BackupStore;
import java.util.List;

/** Delete the shipped log objects of {@code services} whose range ended before {@code endedBefore} (epoch ms). */
public record PruneLogsRequest(BackupStore store, String plan, List<String> services, long endedBefore) {
    public PruneLogsRequest {
        services = services == null ? List.of() : List.copyOf(services);
    }
}
