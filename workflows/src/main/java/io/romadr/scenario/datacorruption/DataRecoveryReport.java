package io.romadr.scenario.datacorruption;

import io.romadr.report.IncidentTimes;
import io.romadr.report.Outcome;
import io.romadr.report.ScenarioReport;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * Scenario 2's report: the corruption found, the backups refused and why, the backup used and its age (the actual
 * RPO) against the plan's RPO, where the originals were quarantined, where each repaired file came from, the
 * re-validation, every step's time against the artifacts RTO.
 */
public record DataRecoveryReport(String workflowId, String plan, String requestedBy, String reason, Outcome outcome,
        long startedAt, long finishedAt, long rtoMillis, long rpoTargetMillis, ArtifactCheck before,
        Corruption corruption, List<String> rejectedBackups, String backupUsed, Long dataAgeMillis,
        QuarantineResult quarantine, List<String> provenance, ArtifactCheck after, List<StepRecord> timeline,
        String summary, IncidentTimes incident) implements ScenarioReport {

    public DataRecoveryReport {
        rejectedBackups = rejectedBackups == null ? List.of() : List.copyOf(rejectedBackups);
        provenance = provenance == null ? List.of() : List.copyOf(provenance);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    @Override
    public String scenario() {
        return DataCorruptionRecoveryWorkflow.SCENARIO;
    }

    @Override
    public void details(StringBuilder sb) {
        DataRecoveryReportFormatter.details(sb, this);
    }
}
