package io.romadr.scenario.security;

import io.romadr.plan.ImageBackupSpec;
import java.util.List;

/**
 * Put the known-good build of every image in {@code images} (the affected containers' configured images) on the
 * engine: the digest the BACKUP registry of {@code backup} holds for the image's repository and tag (not the
 * primary's tag, which an attacker could have moved) is pulled by digest and tagged as the image, so a recreate runs
 * it.
 */
public record KnownGoodImagesRequest(ImageBackupSpec backup, List<String> images) {
    public KnownGoodImagesRequest {
        images = List.copyOf(images);
    }
}
