package io.romadr.backup;

import io.romadr.plan.BackupStore;

public record RecordGitMirrorRequest(BackupStore store, GitMirrorRecord record) {
}
