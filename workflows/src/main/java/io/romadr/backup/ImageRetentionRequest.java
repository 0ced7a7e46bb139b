package io.romadr.backup;

import io.romadr.plan.ImageBackupSpec;

public record ImageRetentionRequest(String plan, ImageBackupSpec images, String repository) {
}
