package io.romadr.corruption;

import io.romadr.report.ReportFormatter;

/** Markdown rendering of Scenario 2's report for the CLI and drills. */
public final class DataRecoveryReportFormatter {
    private DataRecoveryReportFormatter() {
    }

    public static String markdown(DataRecoveryReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Data corruption recovery report: plan ").append(r.plan()).append("\n\n");
        sb.append("- **Workflow:** ").append(r.workflowId()).append('\n');
        sb.append("- **Started:** ").append(ReportFormatter.time(r.startedAt()))
                .append(r.requestedBy().isEmpty() ? "" : " by " + r.requestedBy())
                .append(r.reason().isEmpty() ? "" : " (" + r.reason() + ")").append('\n');
        sb.append("- **Outcome:** ").append(r.outcome()).append(" in ")
                .append(ReportFormatter.age(r.finishedAt() - r.startedAt())).append(" against an RTO of ")
                .append(ReportFormatter.age(r.rtoMillis())).append(r.rtoMet() ? " (met)" : " (BREACHED)").append('\n');
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
        if (!r.backupUsed().isEmpty() && r.dataAgeMillis() != null) {
            sb.append("- **Restored from:** ").append(r.backupUsed()).append('\n');
            sb.append("- **Data loss (actual RPO):** ").append(ReportFormatter.age(r.dataAgeMillis()))
                    .append(" against an RPO of ").append(ReportFormatter.age(r.rpoTargetMillis()))
                    .append(r.dataAgeMillis() <= r.rpoTargetMillis() ? " (met)" : " (MISSED)").append('\n');
        }
        for (String p : r.provenance()) {
            sb.append("  - ").append(p).append('\n');
        }
        if (r.after() != null) {
            sb.append("- **After:** ").append(r.after().allValid() ? "all " + r.after().total() + " artifact(s) valid"
                    : r.after().invalid().size() + " still invalid").append('\n');
        }
        ReportFormatter.timeline(sb, r.timeline(), r.startedAt());
        sb.append('\n').append(r.summary()).append('\n');
        return sb.toString();
    }
}
