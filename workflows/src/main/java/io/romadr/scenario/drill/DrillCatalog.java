package io.romadr.scenario.drill;

import java.util.List;

/**
 * A plan's stored drill reports.
 *
 * @param plan    the plan
 * @param store   the store's location ("s3://bucket", "file:///var/backups"); empty when the plan has none
 * @param reports oldest first
 * @param problem why the list is empty or partial (no backup store in the plan, store unreadable); empty when fine
 */
public record DrillCatalog(String plan, String store, List<StoredDrillReport> reports, String problem) {
    public DrillCatalog {
        reports = reports == null ? List.of() : List.copyOf(reports);
        problem = problem == null ? "" : problem;
    }
}
