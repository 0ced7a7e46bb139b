package io.romadr.backup;

import java.util.List;

/** Tags deleted by image retention, tags kept because a protected tag names the same image, manifests deleted. */
public record ImageRetentionResult(String repository, List<String> deletedTags, List<String> protectedTags,
        int deletedManifests) {
    public ImageRetentionResult {
        deletedTags = deletedTags == null ? List.of() : List.copyOf(deletedTags);
        protectedTags = protectedTags == null ? List.of() : List.copyOf(protectedTags);
    }
}
