package io.romadr.backup;

import java.util.List;

/**
 * Stored as JSON beside every shipped log object ({@link LogKeys}), written after it: the object exists for readers
 * exactly when its manifest does. {@code sha256} and {@code sizeBytes} are of the stored (gzip) object; {@code lines}
 * the lines it holds, {@code firstAt}/{@code lastAt} the first and last line's timestamp as Docker wrote it (RFC 3339
 * with nanoseconds; empty when no line); {@code containers} the containers read.
 */
public record LogManifest(int format, String plan, String service, long from, long to, String objectKey,
        String sha256, long sizeBytes, long lines, String firstAt, String lastAt, List<String> containers,
        long createdAt, String workflowId) {

    public static final int FORMAT = 1;

    public LogManifest {
        firstAt = firstAt == null ? "" : firstAt;
        lastAt = lastAt == null ? "" : lastAt;
        containers = containers == null ? List.of() : List.copyOf(containers);
        workflowId = workflowId == null ? "" : workflowId;
    }

    public String manifestKey() {
        return BackupKeys.manifestKey(objectKey);
    }
}
