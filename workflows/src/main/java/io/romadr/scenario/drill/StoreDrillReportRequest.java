package io.romadr.scenario.drill;

import io.romadr.plan.BackupStore;

/**
 * Stores a finished drill's report in the plan's backup store as Markdown, JSON and self-contained HTML, under
 * {@code drills/<plan>/<date>-<scenario>-<drill id>.{md,json,html}} (see {@link StoredDrillReport}).
 */
public record StoreDrillReportRequest(BackupStore store, DrillReport report) {
}
