package io.romadr.backup;

import io.romadr.runtime.PlanInput;

/** Input of {@link BackupVerificationWorkflow}: {@code {"plan":"roma"}}. */
public record VerificationRequest(String plan, String requestedBy) implements PlanInput {
    public VerificationRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
