package io.romadr.backup;

/** Input of {@link RetentionWorkflow}; {@code dryRun} reports the decisions and deletes nothing. */
public record RetentionRequest(String plan, boolean dryRun, String requestedBy) {
    public RetentionRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
