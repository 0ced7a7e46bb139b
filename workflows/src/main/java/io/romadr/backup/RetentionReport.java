package io.romadr.backup;

import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import java.util.List;

/** Every backup retention looked at, kept or deleted with the reason, and the steps it took. */
public record RetentionReport(
        String workflowId,
        String plan,
        boolean dryRun,
        Outcome outcome,
        long startedAt,
        long finishedAt,
        List<RetentionDecision> decisions,
        int deleted,
        List<StepRecord> timeline,
        String summary) {

    public RetentionReport {
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
