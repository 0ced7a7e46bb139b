package io.romadr.backup;

import io.romadr.plan.ImageBackupSpec;
import java.util.List;

/**
 * Mirror one repository. {@code timestampTag} is {@code YYYYMMDD-HHMMSS} (UTC) of the run, made by the workflow.
 * {@code pushedTags}: tags of this repository pushed to the primary (registry events), mirrored besides the plan's
 * tags; a pushed tag that is not one of the plan's is mirrored as itself.
 */
public record ImageMirrorRequest(String plan, ImageBackupSpec images, String repository, String timestampTag,
        List<String> pushedTags) {

    public ImageMirrorRequest {
        pushedTags = pushedTags == null ? List.of() : List.copyOf(pushedTags);
    }

    public ImageMirrorRequest(String plan, ImageBackupSpec images, String repository, String timestampTag) {
        this(plan, images, repository, timestampTag, List.of());
    }
}
