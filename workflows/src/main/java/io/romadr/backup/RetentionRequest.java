package io.romadr.backup;

import io.romadr.runtime.PlanInput;

/** Input of {@link RetentionWorkflow}; {@code dryRun} reports the decisions and deletes nothing. */
public record RetentionRequest(String plan, boolean dryRun, String requestedBy) implements PlanInput {
    public RetentionRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
    }
}
