package io.romadr.backup;

import io.romadr.runtime.PlanInput;
import java.util.List;

/**
 * Input of {@link BackupRestoreWorkflow}, e.g. {@code {"plan":"roma","kind":"state"}}. {@code from} picks one backup
 * by object key (or its file name); empty takes the newest that verifies, falling back to older ones. {@code only}
 * restores just these artifact files. {@code privateKeyFile} (secrets) is a path on the worker; the passphrase comes
 * from the worker's environment, never from here.
 */
public record RestoreBackupRequest(String plan, BackupKind kind, String from, List<String> only,
        String privateKeyFile, String requestedBy) implements PlanInput {

    public RestoreBackupRequest {
        from = from == null ? "" : from;
        only = only == null ? List.of() : List.copyOf(only);
        privateKeyFile = privateKeyFile == null ? "" : privateKeyFile;
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
