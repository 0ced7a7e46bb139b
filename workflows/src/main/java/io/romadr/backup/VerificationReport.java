package io.romadr.backup;

import io.romadr.report.StepRecord;
import java.util.List;

/** The weekly verification's result: one row per check; {@link #allOk()} when every row is OK. */
public record VerificationReport(String workflowId, String plan, long startedAt, long finishedAt,
        List<VerificationRow> rows, List<StepRecord> timeline, String summary) {

    public VerificationReport {
        rows = rows == null ? List.of() : List.copyOf(rows);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    public boolean allOk() {
        return !rows.isEmpty() && rows.stream().allMatch(r -> r.status() == VerificationStatus.OK);
    }
}
