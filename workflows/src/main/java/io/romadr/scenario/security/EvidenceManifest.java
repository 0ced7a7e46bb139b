package io.romadr.scenario.security;

import java.util.List;

/**
 * The evidence as stored and read back: where ({@code location} of the store, {@code prefix} of the incident), every
 * artifact, and the manifest's own key and SHA-256. {@code alreadyStored}: an earlier attempt had written it all.
 */
public record EvidenceManifest(String location, String prefix, List<EvidenceArtifact> artifacts, String manifestKey,
        String manifestSha256, boolean alreadyStored) {
    public EvidenceManifest {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    public long totalBytes() {
        return artifacts.stream().mapToLong(EvidenceArtifact::size).sum();
    }
}
