package io.romadr.scenario.siteloss;

import io.romadr.report.ApprovalRecord;
import io.romadr.report.IncidentTimes;
import io.romadr.report.PendingApproval;
import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * Scenario 3's report (also the progress query's answer): the server, each phase against its budget, when users were
 * sent to the new site ({@code restoredAt}: the DNS cut-over, or verification without a record), where the
 * source, secrets, images and data came from, the DNS record before and after, the approval, what compensation did,
 * and every step's time. {@code region}: the failover region of a region outage ("" for a site loss);
 * {@code backupStore}: the store the backups were restored from (the replica in a region outage).
 */
public record SiteRecoveryReport(String workflowId, String plan, String provider, String requestedBy, String reason,
        Outcome outcome, long startedAt, long finishedAt, long rtoMillis, boolean rtoBreached, Long restoredAt,
        SiteServer server,
        List<PhaseRecord> phases, SourceResult source, SecretsInstallResult secrets, ImagePullResult images,
        String stateBackup, String artifactsBackup, Long dataAgeMillis, List<String> rejectedBackups,
        DnsValue dnsBefore, DnsValue dnsAfter, PendingApproval pendingApproval, ApprovalRecord approval,
        String keptForForensics, List<String> compensation, List<StepRecord> steps, String summary, String region,
        String backupStore, IncidentTimes incident)
        implements
            ScenarioReport {
    public SiteRecoveryReport {
        phases = phases == null ? List.of() : List.copyOf(phases);
        rejectedBackups = rejectedBackups == null ? List.of() : List.copyOf(rejectedBackups);
        compensation = compensation == null ? List.of() : List.copyOf(compensation);
        steps = steps == null ? List.of() : List.copyOf(steps);
        region = region == null ? "" : region;
        backupStore = backupStore == null ? "" : backupStore;
    }

    /** A site loss in the primary region (reports made before {@code region}). */
    public SiteRecoveryReport(String workflowId, String plan, String provider, String requestedBy, String reason,
            Outcome outcome, long startedAt, long finishedAt, long rtoMillis, boolean rtoBreached, Long restoredAt,
            SiteServer server, List<PhaseRecord> phases, SourceResult source, SecretsInstallResult secrets,
            ImagePullResult images, String stateBackup, String artifactsBackup, Long dataAgeMillis,
            List<String> rejectedBackups, DnsValue dnsBefore, DnsValue dnsAfter, PendingApproval pendingApproval,
            ApprovalRecord approval, String keptForForensics, List<String> compensation, List<StepRecord> steps,
            String summary) {
        this(workflowId, plan, provider, requestedBy, reason, outcome, startedAt, finishedAt, rtoMillis, rtoBreached,
                restoredAt, server, phases, source, secrets, images, stateBackup, artifactsBackup, dataAgeMillis,
                rejectedBackups, dnsBefore, dnsAfter, pendingApproval, approval, keptForForensics, compensation, steps,
                summary, null, null, null);
    }

    @Override
    public String scenario() {
        return SiteRecoveryWorkflow.SCENARIO;
    }

    @Override
    public List<StepRecord> timeline() {
        return steps;
    }

    /** Restored when users were sent to the new site. */
    @Override
    public Long rtoActualMillis() {
        return restoredAt == null ? null : restoredAt - startedAt;
    }

    @Override
    public String rtoActualNote() {
        return " (restored when the DNS moved)";
    }

    @Override
    public String title() {
        return (region.isEmpty() ? "Site recovery (Scenario 3): " : "Region outage, Scenario 3 in " + region + ": ")
                + plan;
    }

    @Override
    public void headerDetails(StringBuilder sb) {
        SiteRecoveryReportFormatter.headerDetails(sb, this);
    }

    @Override
    public void details(StringBuilder sb) {
        SiteRecoveryReportFormatter.details(sb, this);
    }
}
