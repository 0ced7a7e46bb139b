package io.romadr.backup;

import io.romadr.plan.BackupStore;

/**
 * Ship the log lines of compose {@code project}/{@code service} timestamped {@code from < t <= to} (epoch ms) to
 * {@link LogKeys#objectKey}. Idempotent: the same range found stored is returned as it is.
 */
public record ShipLogsRequest(BackupStore store, String plan, String project, String service, long from, long to,
        String workflowId) {
}
