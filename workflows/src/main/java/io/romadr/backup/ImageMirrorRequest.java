package io.romadr.backup;

import io.romadr.plan.ImageBackupSpec;

/** Mirror one repository. {@code timestampTag} is {@code YYYYMMDD-HHMMSS} (UTC) of the run, made by the workflow. */
public record ImageMirrorRequest(String plan, ImageBackupSpec images, String repository, String timestampTag) {
}
