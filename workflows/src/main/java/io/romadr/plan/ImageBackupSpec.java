package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Seed backup kind 2, container images: {@code tags} of each repository are copied from {@code primary} to
 * {@code backup}. The first tag (the deployment tag, e.g. {@code latest}) also gets a timestamp tag
 * {@code YYYYMMDD-HHMMSS} in the backup when its image changed, and {@code release} (e.g. {@code 1.0.0}) when set,
 * else the image's {@code org.opencontainers.image.version} label. Retention keeps {@code keepPerFamily} (seed: 30)
 * timestamp tags per repository.
 */
public record ImageBackupSpec(
        @JsonProperty(required = true) RegistryEndpoint primary,
        @JsonProperty(required = true) RegistryEndpoint backup,
        @JsonProperty(required = true) List<String> repositories,
        List<String> tags,
        String release,
        Integer keepPerFamily) {

    public ImageBackupSpec {
        InvalidFieldException.require(primary != null, "primary", "is required");
        InvalidFieldException.require(backup != null, "backup", "is required");
        InvalidFieldException.require(repositories != null && !repositories.isEmpty(), "repositories",
                "must list at least one repository");
        for (String r : repositories) {
            InvalidFieldException.require(r != null && r.matches("[a-z0-9]+([._/-][a-z0-9]+)*"), "repositories",
                    "\"" + r + "\" is not a repository name (lower-case, e.g. roma-builder or team/roma)");
        }
        repositories = List.copyOf(repositories);
        tags = tags == null || tags.isEmpty() ? List.of("latest") : List.copyOf(tags);
        for (String t : tags) {
            InvalidFieldException.require(t != null && t.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"), "tags",
                    "\"" + t + "\" is not a tag");
        }
        InvalidFieldException.require(release == null || release.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}"),
                "release", "\"" + release + "\" is not a tag");
        keepPerFamily = keepPerFamily == null ? 30 : keepPerFamily;
        InvalidFieldException.require(keepPerFamily >= 1, "keepPerFamily", "must be at least 1");
    }
}
