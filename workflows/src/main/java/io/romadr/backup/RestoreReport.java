package io.romadr.backup;

import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * What a restore used and did. {@code dataAgeMillis} is the actual data loss: the age of the backup restored at the
 * time the restore started, to compare with the plan's RPO ({@code rpoTargetMillis}, null for secrets).
 * {@code rejected} lists newer backups that failed verification and were skipped.
 */
public record RestoreReport(
        String workflowId,
        BackupKind kind,
        String plan,
        String requestedBy,
        Outcome outcome,
        long startedAt,
        long finishedAt,
        BackupManifest used,
        Long dataAgeMillis,
        Long rpoTargetMillis,
        List<VerifyResult> rejected,
        RestoreResult restored,
        SecretsRestoreResult secrets,
        List<StepRecord> timeline,
        String summary) {

    public RestoreReport {
        rejected = rejected == null ? List.of() : List.copyOf(rejected);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
