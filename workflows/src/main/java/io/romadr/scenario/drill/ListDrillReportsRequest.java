package io.romadr.scenario.drill;

import io.romadr.plan.BackupStore;

/** Every drill report of {@code plan} stored in {@code store} ({@code drills/<plan>/}), oldest first. */
public record ListDrillReportsRequest(BackupStore store, String plan) {
}
