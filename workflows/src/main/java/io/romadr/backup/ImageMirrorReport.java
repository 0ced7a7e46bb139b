package io.romadr.backup;

import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import java.util.List;

/** An image mirror run: per repository what was copied and tagged, what retention removed, every step's time. */
public record ImageMirrorReport(String workflowId, String plan, String requestedBy, Outcome outcome, long startedAt,
        long finishedAt, String timestampTag, List<ImageMirrorResult> repositories,
        List<ImageRetentionResult> retention, List<StepRecord> timeline, String summary) {

    public ImageMirrorReport {
        repositories = repositories == null ? List.of() : List.copyOf(repositories);
        retention = retention == null ? List.of() : List.copyOf(retention);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
