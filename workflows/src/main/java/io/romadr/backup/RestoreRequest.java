package io.romadr.backup;

import io.romadr.plan.BackupStore;
import java.util.List;

/**
 * Restore {@code manifest}'s archive into {@code path} of compose {@code project}/{@code service}. The archive is
 * verified against the manifest before anything is written, extracted into a staging directory beside the target
 * and swapped into place. {@code only} restricts an artifact restore to the named files (paths relative to
 * {@code path}); empty restores everything.
 */
public record RestoreRequest(BackupStore store, BackupManifest manifest, String project, String service, String path,
        List<String> only) {

    public RestoreRequest {
        only = only == null ? List.of() : List.copyOf(only);
    }
}
