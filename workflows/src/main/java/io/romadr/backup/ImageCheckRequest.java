package io.romadr.backup;

import io.romadr.plan.ImageBackupSpec;

public record ImageCheckRequest(String plan, ImageBackupSpec images) {
}
