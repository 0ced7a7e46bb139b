package io.romadr.backup;

/** What retention does with one backup, and why. */
public record RetentionDecision(BackupKind kind, String objectKey, long createdAt, boolean keep, String reason) {
}
