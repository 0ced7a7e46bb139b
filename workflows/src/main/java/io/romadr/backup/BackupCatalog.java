package io.romadr.backup;

import java.util.List;

/**
 * The backups of a plan, oldest first per kind, as of {@code generatedAt} (workflow time). {@code verification} of
 * an entry is null when the listing was asked not to verify. {@code measuredRpo}: each kind's measured lag over the
 * last week against the plan's RPO (empty in listings made before it was added).
 */
public record BackupCatalog(String plan, String store, long generatedAt, List<Entry> entries,
        List<MeasuredLag> measuredRpo) {

    public BackupCatalog {
        entries = entries == null ? List.of() : List.copyOf(entries);
        measuredRpo = measuredRpo == null ? List.of() : List.copyOf(measuredRpo);
    }

    public BackupCatalog(String plan, String store, long generatedAt, List<Entry> entries) {
        this(plan, store, generatedAt, entries, List.of());
    }

    public record Entry(BackupManifest manifest, VerifyResult verification) {
    }

    /**
     * One kind's measured RPO: its lag summary (null when it could not be read: {@code problem} says why), the
     * plan's RPO and the limit the lag is held to (RPO plus slack), and {@code status}: {@code OK} (the maximum
     * within the limit), {@code OVER}, {@code NONE} (nothing measured) or {@code UNKNOWN} (not read).
     */
    public record MeasuredLag(String kind, LagSummary lag, long rpoMillis, long limitMillis, String status,
            String problem) {
        public MeasuredLag {
            problem = problem == null ? "" : problem;
        }
    }
}
