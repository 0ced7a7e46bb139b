package io.romadr.backup;

import io.romadr.plan.BackupStore;

/** One stored backup, by its manifest. */
public record BackupRef(BackupStore store, BackupManifest manifest) {
}
