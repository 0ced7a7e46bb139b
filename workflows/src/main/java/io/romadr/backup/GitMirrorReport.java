package io.romadr.backup;

import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A git mirror run: the primary's refs as fetched (the "last known good" tips for a later git recovery) and what
 * each backup push did. A run where any backup is not equal afterwards fails with this report as its details.
 */
public record GitMirrorReport(String workflowId, String plan, String requestedBy, Outcome outcome, long startedAt,
        long finishedAt, String primary, Map<String, String> primaryRefs, List<GitPushResult> backups,
        List<StepRecord> timeline, String summary) {

    public GitMirrorReport {
        primaryRefs = primaryRefs == null ? Map.of() : new TreeMap<>(primaryRefs);
        backups = backups == null ? List.of() : List.copyOf(backups);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }
}
