package io.romadr.backup;

import io.romadr.runtime.PlanInput;

/** Input of {@link BackupAccessAuditWorkflow}: {@code {"plan":"roma"}}. */
public record AuditRequest(String plan, String requestedBy) implements PlanInput {
    public AuditRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
