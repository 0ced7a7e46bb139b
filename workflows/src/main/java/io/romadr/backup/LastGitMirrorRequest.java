package io.romadr.backup;

import io.romadr.plan.BackupStore;

public record LastGitMirrorRequest(BackupStore store, String plan) {
}
