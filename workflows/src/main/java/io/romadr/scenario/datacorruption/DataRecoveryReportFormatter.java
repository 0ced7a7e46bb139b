package io.romadr.scenario.datacorruption;

import io.romadr.report.ReportFormatter;

/** Scenario 2's own sections of its report; {@link ReportFormatter#markdown} renders the whole. */
public final class DataRecoveryReportFormatter {
    private DataRecoveryReportFormatter() {
    }

    /** Scenario 2's own lines: the corruption found, quarantine, backups refused and used, the actual RPO. */
    static void details(StringBuilder sb, DataRecoveryReport r) {
        if (r.corruption() != null) {
            sb.append("- **Corruption:** ").append(r.corruption()).append('\n');
        }
        if (r.before() != null) {
            for (ArtifactCheck.InvalidArtifact a : r.before().invalid()) {
                sb.append("  - ").append(a.file()).append(": ").append(a.problem()).append('\n');
            }
        }
        if (r.quarantine() != null) {
            sb.append("- **Originals kept in:** ").append(r.quarantine().objectKey()).append(" (")
                    .append(r.quarantine().files().size()).append(" file(s))\n");
        }
        for (String rejected : r.rejectedBackups()) {
            sb.append("- **Backup refused:** ").append(rejected).append('\n');
        }
        if (!text(r.backupUsed()).isEmpty() && r.dataAgeMillis() != null) {
            sb.append("- **Restored from:** ").append(r.backupUsed()).append('\n');
            sb.append("- **Data loss (actual RPO):** ").append(ReportFormatter.age(r.dataAgeMillis()))
                    .append(" against an RPO of ").append(ReportFormatter.age(r.rpoTargetMillis()))
                    .append(r.dataAgeMillis() <= r.rpoTargetMillis() ? " (met)" : " (MISSED)").append('\n');
        }
        for (String p : r.provenance()) {
            sb.append("  - ").append(p).append('\n');
        }
        if (r.after() != null) {
            sb.append("- **After:** ").append(r.after().allValid()
                    ? "all " + r.after().total() + " artifact(s) valid"
                    : r.after().invalid().size() + " still invalid").append('\n');
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
