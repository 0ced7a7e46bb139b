package io.romadr.scenario.datacorruption;

import java.util.List;

/** How many artifacts were checked, and each one that is not valid with why (e.g. "line 3: unexpected end"). */
public record ArtifactCheck(int total, List<InvalidArtifact> invalid) {
    public ArtifactCheck {
        invalid = invalid == null ? List.of() : List.copyOf(invalid);
    }

    public boolean allValid() {
        return invalid.isEmpty();
    }

    public List<String> invalidFiles() {
        return invalid.stream().map(InvalidArtifact::file).toList();
    }

    /** One broken artifact: its path relative to the artifacts directory, and the problem. */
    public record InvalidArtifact(String file, String problem) {
    }
}
