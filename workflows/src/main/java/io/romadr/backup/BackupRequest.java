package io.romadr.backup;

import io.romadr.runtime.PlanInput;
import java.util.List;

/**
 * Input of the backup workflows: {@code {"plan": "roma"}} from the Web UI, the CLI or a schedule. {@code images}
 * (image mirror only, from registry events): {@code repository:tag} pushed to the primary, mirrored in this run
 * besides the plan's tags.
 */
public record BackupRequest(String plan, String requestedBy, List<String> images) implements PlanInput {
    public BackupRequest {
        requestedBy = requestedBy == null ? "" : requestedBy;
        images = images == null ? List.of() : List.copyOf(images);
    }

    public BackupRequest(String plan, String requestedBy) {
        this(plan, requestedBy, List.of());
    }
}
