package io.romadr.backup;

import io.romadr.plan.BackupStore;

/** Where the shipped logs of {@code plan}'s {@code service} end: the newest object's {@code to}. */
public record LogCutoffRequest(BackupStore store, String plan, String service) {
}
