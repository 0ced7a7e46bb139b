package io.romadr.backup;

import io.romadr.plan.BackupStore;

/** Who can read and delete the backup store {@code store}, which is the plan's {@code role} store (main, secrets, replica). */
public record StoreAuditRequest(String role, BackupStore store) {
}
