package io.romadr.backup;

import java.util.List;

/**
 * What {@link SecretsWatchWorkflow} did so far: metadata polls (and failed ones) every {@code pollMillis}, exports
 * started by a change (and failed ones) with their child workflow ids, the newest measured lags (secret changed to
 * export committed), and the last thing that happened.
 */
public record SecretsWatchReport(String workflowId, String plan, long startedAt, long pollMillis, int polls,
        int failedPolls, int changes, int exports, int failedExports, List<String> children,
        List<LagSample> recentLags, String summary) {

    public SecretsWatchReport {
        children = children == null ? List.of() : List.copyOf(children);
        recentLags = recentLags == null ? List.of() : List.copyOf(recentLags);
        summary = summary == null ? "" : summary;
    }
}
