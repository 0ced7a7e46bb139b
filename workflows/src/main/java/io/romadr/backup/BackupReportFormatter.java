package io.romadr.backup;

import io.romadr.report.ReportFormatter;
import io.romadr.report.StepRecord;
import java.util.List;

/** Markdown and plain-text renderings of backup, restore, retention and listing results for the CLI and drills. */
public final class BackupReportFormatter {
    private BackupReportFormatter() {
    }

    /** The timeline and the summary that end every report here; returns the whole text. */
    private static String end(StringBuilder sb, List<StepRecord> timeline, long startedAt, String summary) {
        ReportFormatter.timeline(sb, timeline, startedAt);
        sb.append('\n').append(summary).append('\n');
        return sb.toString();
    }

    public static String markdown(BackupReport r) {
        StringBuilder sb = begin("Backup report: " + r.kind().id() + " / plan " + r.plan(), r.workflowId(),
                r.startedAt(), r.finishedAt(), r.outcome().name(), r.requestedBy());
        BackupManifest m = r.manifest();
        if (m != null) {
            sb.append("- **Object:** ").append(m.objectKey()).append('\n');
            sb.append("- **Size:** ").append(ReportFormatter.bytes(m.sizeBytes()));
            if (r.kind() != BackupKind.SECRETS) {
                sb.append(", ").append(m.entries()).append(" entries, ")
                        .append(ReportFormatter.bytes(m.contentBytes())).append(" of content");
            }
            sb.append('\n');
            sb.append("- **SHA-256:** ").append(m.sha256()).append('\n');
            sb.append("- **Source:** ").append(m.source()).append('\n');
            if (!m.files().isEmpty()) {
                sb.append("- **Files:** ").append(m.files().size()).append('\n');
            }
            if (!m.secretNames().isEmpty()) {
                sb.append("- **Secrets:** ").append(String.join(", ", m.secretNames())).append('\n');
                sb.append("- **Encrypted to:** ").append(String.join(", ", m.recipients())).append('\n');
            }
        }
        if (r.verification() != null) {
            sb.append("- **Read back:** ")
                    .append(r.verification().ok() ? "ok" : "FAILED: " + r.verification().problem())
                    .append('\n');
        }
        if (r.replica() != null) {
            sb.append("- **Replica:** ").append(r.replica().describe()).append('\n');
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(GitMirrorReport r) {
        StringBuilder sb = begin("Git mirror report: plan " + r.plan(), r.workflowId(), r.startedAt(),
                r.finishedAt(), r.outcome().name(), r.requestedBy());
        sb.append("- **Primary:** ").append(r.primary()).append(", ").append(r.primaryRefs().size())
                .append(" branch(es) and tag(s)\n");
        for (GitPushResult b : r.backups()) {
            sb.append("- **").append(b.ok() ? "Equal" : "NOT equal").append(":** ")
                    .append(GitMirrorWorkflowImpl.describe(b)).append('\n');
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(ImageMirrorReport r) {
        StringBuilder sb = begin("Image mirror report: plan " + r.plan(), r.workflowId(), r.startedAt(),
                r.finishedAt(), r.outcome().name(), r.requestedBy());
        sb.append("- **Timestamp tag:** ").append(r.timestampTag()).append('\n');
        for (ImageMirrorResult m : r.repositories()) {
            sb.append("- **").append(m.ok() ? "Mirrored" : "FAILED").append(":** ")
                    .append(ImageMirrorWorkflowImpl.describe(m)).append('\n');
        }
        for (ImageRetentionResult k : r.retention()) {
            sb.append("- **Retention ").append(k.repository()).append(":** ")
                    .append(k.deletedTags().isEmpty() ? "nothing to delete" : "deleted " + list(k.deletedTags()))
                    .append('\n');
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(LogShippingReport r) {
        StringBuilder sb = begin("Log shipping report: plan " + r.plan(), r.workflowId(), r.startedAt(),
                r.finishedAt(), r.outcome().name(), r.requestedBy());
        for (LogShipment s : r.services()) {
            sb.append("- **").append(s.service()).append(":** ").append(s.ok()
                    ? s.lines() + " line(s), " + LogKeys.stamp(s.from()) + " to " + LogKeys.stamp(s.to()) + ", "
                            + (s.found() ? "already in " : "in ") + s.objectKey()
                    : "NOT shipped: " + s.problem()).append('\n');
        }
        if (r.pruned() > 0) {
            sb.append("- **Retention:** ").append(r.pruned()).append(" object(s) deleted\n");
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(RestoreReport r) {
        StringBuilder sb = begin("Restore report: " + (r.kind() == null ? "" : r.kind().id()) + " / plan " + r.plan(),
                r.workflowId(), r.startedAt(), r.finishedAt(), r.outcome().name(), r.requestedBy());
        if (r.used() != null) {
            sb.append("- **Restored from:** ").append(r.used().objectKey()).append(" (created ")
                    .append(ReportFormatter.time(r.used().createdAt())).append(")\n");
            sb.append("- **Data loss (actual RPO):** ").append(ReportFormatter.age(r.dataAgeMillis()));
            if (r.rpoTargetMillis() != null) {
                sb.append(" against an RPO of ").append(ReportFormatter.age(r.rpoTargetMillis()))
                        .append(r.dataAgeMillis() <= r.rpoTargetMillis() ? " (met)" : " (MISSED)");
            }
            sb.append('\n');
        }
        for (VerifyResult v : r.rejected()) {
            sb.append("- **Refused:** ").append(v.objectKey()).append(": ").append(v.problem()).append('\n');
        }
        if (r.restored() != null) {
            sb.append("- **Written:** ").append(r.restored().target()).append(", ").append(r.restored().entries())
                    .append(" entries, ").append(ReportFormatter.bytes(r.restored().bytes()));
            if (!r.restored().files().isEmpty()) {
                sb.append(" (").append(String.join(", ", r.restored().files())).append(')');
            }
            sb.append('\n');
        }
        if (r.secrets() != null) {
            sb.append("- **Secrets written:** ").append(list(r.secrets().written())).append('\n');
            sb.append("- **Secrets already equal:** ").append(list(r.secrets().unchanged())).append('\n');
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(RetentionReport r) {
        StringBuilder sb = begin("Retention report: plan " + r.plan() + (r.dryRun() ? " (dry run)" : ""),
                r.workflowId(), r.startedAt(), r.finishedAt(), r.outcome().name(), "");
        sb.append("\n| Kind | Created | Action | Reason | Object |\n|------|---------|--------|--------|--------|\n");
        for (RetentionDecision d : r.decisions()) {
            sb.append("| ").append(d.kind().id()).append(" | ").append(ReportFormatter.time(d.createdAt()))
                    .append(" | ").append(d.keep() ? "keep" : r.dryRun() ? "would delete" : "delete")
                    .append(" | ").append(d.reason()).append(" | ").append(d.objectKey()).append(" |\n");
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(VerificationReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Backup verification: plan ").append(r.plan()).append("\n\n");
        sb.append("- **Workflow:** ").append(r.workflowId()).append('\n');
        sb.append("- **Started:** ").append(ReportFormatter.time(r.startedAt())).append('\n');
        sb.append("- **Result:** ").append(r.allOk() ? "OK" : "NOT OK").append('\n');
        sb.append("\n| Kind | Check | Status | Evidence |\n|------|-------|--------|----------|\n");
        for (VerificationRow row : r.rows()) {
            sb.append("| ").append(row.kind()).append(" | ").append(row.check()).append(" | ")
                    .append(row.status()).append(" | ").append(row.evidence().replace("|", "\\|")).append(" |\n");
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    public static String markdown(AccessAuditReport r) {
        StringBuilder sb = begin("Backup access audit: plan " + r.plan(), r.workflowId(), r.startedAt(),
                r.finishedAt(), r.clean() ? "RECOVERED" : "FINDINGS", r.requestedBy());
        sb.append("- **Findings:** ").append(r.count(AuditSeverity.CRITICAL)).append(" critical, ")
                .append(r.count(AuditSeverity.HIGH)).append(" high, ").append(r.count(AuditSeverity.MEDIUM))
                .append(" medium, ").append(r.count(AuditSeverity.INFO)).append(" info\n");
        sb.append("\n| Severity | Target | Check | Evidence | What to do |\n")
                .append("|----------|--------|-------|----------|------------|\n");
        for (AccessFinding f : r.findings()) {
            sb.append("| ").append(f.severity()).append(" | ").append(cell(f.target())).append(" | ")
                    .append(cell(f.check())).append(" | ").append(cell(f.evidence())).append(" | ")
                    .append(cell(f.action())).append(" |\n");
        }
        return end(sb, r.timeline(), r.startedAt(), r.summary());
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    /** One line per backup, newest last per kind: what {@code roma-dr backups list} prints. */
    public static String table(BackupCatalog c, long now) {
        StringBuilder sb = new StringBuilder();
        sb.append("Backups of plan ").append(c.plan()).append(" in ").append(c.store()).append('\n');
        String format = "%-9s  %-23s  %8s  %10s  %8s  %-10s  %s%n";
        sb.append(String.format(format, "KIND", "CREATED", "AGE", "SIZE", "ENTRIES", "CHECKSUM", "KEY"));
        for (BackupCatalog.Entry e : c.entries()) {
            BackupManifest m = e.manifest();
            String status = e.verification() == null ? "-" : e.verification().ok() ? "ok" : "CORRUPT";
            sb.append(String.format(format, m.kind().id(), ReportFormatter.time(m.createdAt()),
                    ReportFormatter.age(now - m.createdAt()), ReportFormatter.bytes(m.sizeBytes()),
                    m.kind() == BackupKind.SECRETS ? m.secretNames().size() + " sec" : String.valueOf(m.entries()),
                    status, m.objectKey()));
        }
        for (BackupCatalog.Entry e : c.entries()) {
            if (e.verification() != null && !e.verification().ok()) {
                sb.append("CORRUPT ").append(e.manifest().objectKey()).append(": ").append(e.verification().problem())
                        .append('\n');
            }
        }
        if (c.entries().isEmpty()) {
            sb.append("(no backups)\n");
        }
        measuredRpo(sb, c.measuredRpo());
        return sb.toString();
    }

    /** The "Measured RPO" table: per kind, its lag over the last week against the plan's RPO. */
    private static void measuredRpo(StringBuilder sb, List<BackupCatalog.MeasuredLag> lines) {
        if (lines.isEmpty()) {
            return;
        }
        sb.append("\nMeasured RPO (last ").append(MeasuredRpo.duration(MeasuredRpo.WINDOW.toMillis()))
                .append("; lag = event to backup committed, or the interval between scheduled backups)\n");
        String format = "%-9s  %-8s  %7s  %8s  %8s  %8s  %-15s  %s%n";
        sb.append(String.format(format, "KIND", "BASIS", "SAMPLES", "P50", "P99", "MAX", "RPO", "STATUS"));
        for (BackupCatalog.MeasuredLag l : lines) {
            String rpo = MeasuredRpo.duration(l.rpoMillis()) + " (+" + MeasuredRpo.duration(l.limitMillis()
                    - l.rpoMillis()) + ")";
            LagSummary lag = l.lag();
            boolean measured = lag != null && lag.samples() > 0;
            sb.append(String.format(format, l.kind(), lag == null ? "-" : lag.basis(),
                    lag == null ? "-" : String.valueOf(lag.samples()),
                    measured ? MeasuredRpo.duration(lag.p50Millis()) : "-",
                    measured ? MeasuredRpo.duration(lag.p99Millis()) : "-",
                    measured ? MeasuredRpo.duration(lag.maxMillis()) : "-", rpo, l.status()));
        }
        for (BackupCatalog.MeasuredLag l : lines) {
            if (!l.problem().isEmpty()) {
                sb.append(l.status()).append(' ').append(l.kind()).append(": ").append(l.problem()).append('\n');
            }
        }
    }

    /** A report's title and the lines every run report here starts with. */
    private static StringBuilder begin(String title, String workflowId, long startedAt, long finishedAt,
            String outcome, String requestedBy) {
        StringBuilder sb = new StringBuilder();
        sb.append("## ").append(title).append("\n\n");
        sb.append("- **Workflow:** ").append(workflowId).append('\n');
        sb.append("- **Started:** ").append(ReportFormatter.time(startedAt)).append('\n');
        if (requestedBy != null && !requestedBy.isBlank()) {
            sb.append("- **Requested by:** ").append(requestedBy).append('\n');
        }
        sb.append("- **Outcome:** ").append("RECOVERED".equals(outcome) ? "OK" : outcome).append('\n');
        sb.append("- **Total time:** ").append(ReportFormatter.clock(finishedAt - startedAt)).append('\n');
        return sb;
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}
