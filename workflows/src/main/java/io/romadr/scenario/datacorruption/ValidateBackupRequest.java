package io.romadr.scenario.datacorruption;

import io.romadr.backup.BackupManifest;
import io.romadr.plan.BackupStore;
import java.util.List;

public record ValidateBackupRequest(String plan, BackupStore store, BackupManifest manifest, List<String> include,
        String schema) {
    public ValidateBackupRequest {
        include = include == null ? List.of() : List.copyOf(include);
    }
}
