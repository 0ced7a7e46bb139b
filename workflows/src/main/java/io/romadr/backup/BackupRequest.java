package io.romadr.backup;

/** Input of the backup workflows: {@code {"plan": "roma"}} from the Web UI, the CLI or a schedule. */
public record BackupRequest(String plan, String requestedBy) {
    public BackupRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
