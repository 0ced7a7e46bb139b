package io.romadr.backup;

import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import java.util.List;

/**
 * What a backup run did: the stored backup's manifest, the read-back verification of it, and every step's time.
 * {@code replica}: the copy in the plan's replica store, or null (no replica, or a run from before replication).
 * A failed run fails its workflow (loudly, in the Web UI and for schedules) with this report as the failure's details.
 */
public record BackupReport(
        String workflowId,
        BackupKind kind,
        String plan,
        String requestedBy,
        Outcome outcome,
        long startedAt,
        long finishedAt,
        BackupManifest manifest,
        VerifyResult verification,
        List<StepRecord> timeline,
        String summary,
        ReplicaResult replica) {

    public BackupReport {
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
