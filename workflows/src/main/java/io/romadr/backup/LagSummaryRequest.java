package io.romadr.backup;

import io.romadr.plan.BackupStore;

/**
 * The measured lag of one kind from {@code since} (epoch ms) on. {@code store}: where its {@link LagHistory} is (the
 * plan's backup store); {@code manifestsStore}: where its backups' manifests are, read for kinds backed up on a
 * schedule ({@link BackupKind#storeIn}: secrets may have a store of their own); null: {@code store}.
 */
public record LagSummaryRequest(BackupStore store, String plan, String kind, long since, BackupStore manifestsStore) {
    public LagSummaryRequest {
        manifestsStore = manifestsStore == null ? store : manifestsStore;
    }

    public LagSummaryRequest(BackupStore store, String plan, String kind, long since) {
        this(store, plan, kind, since, null);
    }
}
