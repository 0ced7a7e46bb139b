package io.romadr.backup;

import java.util.List;

/**
 * The backups of a plan, oldest first per kind, as of {@code generatedAt} (workflow time). {@code verification} of
 * an entry is null when the listing was asked not to verify.
 */
public record BackupCatalog(String plan, String store, long generatedAt, List<Entry> entries) {

    public BackupCatalog {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }

    public record Entry(BackupManifest manifest, VerifyResult verification) {
    }
}
