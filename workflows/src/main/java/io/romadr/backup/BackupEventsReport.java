package io.romadr.backup;

import java.util.List;

/**
 * What {@link BackupEventsWorkflow} did so far: events received (and ignored as duplicates), backup runs started
 * and failed, each run's child workflow id, and the newest measured lags (event to backup committed).
 */
public record BackupEventsReport(String workflowId, String plan, String kind, long startedAt, int events,
        int duplicates, int runs, int failedRuns, int pending, List<String> children, List<LagSample> recentLags,
        String summary) {

    public BackupEventsReport {
        children = children == null ? List.of() : List.copyOf(children);
        recentLags = recentLags == null ? List.of() : List.copyOf(recentLags);
        summary = summary == null ? "" : summary;
    }
}
