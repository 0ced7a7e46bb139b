package io.romadr.backup;

import io.romadr.runtime.PlanInput;

/** Input of the backup workflows: {@code {"plan": "roma"}} from the Web UI, the CLI or a schedule. */
public record BackupRequest(String plan, String requestedBy) implements PlanInput {
    public BackupRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
