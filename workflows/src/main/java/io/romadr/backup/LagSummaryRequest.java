package io.romadr.backup;

import io.romadr.plan.BackupStore;

/** The measured lag of one kind from {@code since} (epoch ms) on. */
public record LagSummaryRequest(BackupStore store, String plan, String kind, long since) {
}
