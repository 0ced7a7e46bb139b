package io.romadr.backup;

/**
 * What {@link BackupActivities#replicateBackup} did: {@code copied} false when the replica already held the object
 * with the manifest's SHA-256 (a retried or repeated replication copies nothing).
 */
public record ReplicaCopy(String objectKey, boolean copied, String sha256, long sizeBytes) {
}
