package io.romadr.backup;

/** Input of {@link BackupVerificationWorkflow}: {@code {"plan":"roma"}}. */
public record VerificationRequest(String plan, String requestedBy) {
    public VerificationRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
