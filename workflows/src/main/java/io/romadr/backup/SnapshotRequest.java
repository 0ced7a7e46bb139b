package io.romadr.backup;

import io.romadr.plan.BackupStore;
import java.util.List;

/**
 * Make a tar.gz of {@code path} in the running container of compose {@code project}/{@code service} and store it at
 * {@code objectKey} with its manifest. {@code include} globs filter files (artifacts); {@code ["**"]} takes all.
 * Idempotent: when the manifest for {@code objectKey} already exists the stored manifest is returned.
 */
public record SnapshotRequest(
        BackupKind kind, String plan, BackupStore store, String project, String service, String path,
        List<String> include, String objectKey, long createdAt, String workflowId) {
}
