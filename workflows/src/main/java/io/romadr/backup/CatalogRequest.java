package io.romadr.backup;

import io.romadr.runtime.PlanInput;
import java.util.List;

/** Input of {@link BackupCatalogWorkflow}: which kinds (empty = all) and whether to re-check every checksum. */
public record CatalogRequest(String plan, List<BackupKind> kinds, boolean verify) implements PlanInput {
    public CatalogRequest {
        kinds = kinds == null || kinds.isEmpty() ? List.of(BackupKind.values()) : List.copyOf(kinds);
    }
}
