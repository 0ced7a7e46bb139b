package io.romadr.backup;

import io.romadr.plan.BackupStore;

/**
 * Copy the backup {@code manifest} describes from {@code from} (the primary store) to {@code to} (the plan's replica
 * in the failover region): the object's stored bytes (secrets stay encrypted), then its manifest.
 */
public record ReplicateRequest(BackupStore from, BackupStore to, BackupManifest manifest) {
}
