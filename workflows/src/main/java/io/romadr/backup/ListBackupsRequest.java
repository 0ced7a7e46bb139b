package io.romadr.backup;

import io.romadr.plan.BackupStore;

/** Every manifest of one kind for one plan, oldest first. */
public record ListBackupsRequest(BackupStore store, String plan, BackupKind kind) {
}
