package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Artifacts to back up daily (seed: {@code out/*.json}): files under {@code path} inside the container of compose
 * service {@code service} whose path relative to {@code path} matches one of the {@code include} globs
 * (default: every file). {@code recovery} configures Scenario 2 (repairing corrupted artifacts).
 */
public record ArtifactBackupSpec(
        @JsonProperty(required = true) String service, @JsonProperty(required = true) String path,
        List<String> include,
        ArtifactRecoverySpec recovery) {

    public ArtifactBackupSpec {
        InvalidFieldException.requireText(service, "service");
        InvalidFieldException.requireText(path, "path");
        InvalidFieldException.require(path.startsWith("/") && !path.equals("/"), "path",
                "must be an absolute directory inside the container, not \"/\", got \"" + path + "\"");
        recovery = recovery == null ? ArtifactRecoverySpec.DEFAULTS : recovery;
        include = include == null || include.isEmpty() ? List.of("**") : List.copyOf(include);
        for (String glob : include) {
            InvalidFieldException.require(glob != null && !glob.isBlank() && !glob.startsWith("/"), "include",
                    "globs are relative to path, e.g. \"*.json\" or \"**/*.json\"");
        }
    }
}
