package io.romadr.backup;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Seed backup kind 2: copy the plan's image tags of each repository from the primary to the backup registry
 * through the registry API (blobs the backup has are not sent), add the timestamp and release tags, and apply the
 * "last 30 per tag" retention. A repository that fails fails the run visibly with the report. Start from the Web
 * UI with {@code {"plan":"roma"}}.
 */
@WorkflowInterface
public interface ImageMirrorWorkflow {
    String TYPE = "ImageMirrorWorkflow";

    @WorkflowMethod
    ImageMirrorReport mirror(BackupRequest request);

    @QueryMethod
    ImageMirrorReport progress();
}
