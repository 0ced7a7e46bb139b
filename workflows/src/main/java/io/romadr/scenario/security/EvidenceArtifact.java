package io.romadr.scenario.security;

/** One stored piece of evidence: its name under the incident's prefix, its size and its SHA-256 (hex). */
public record EvidenceArtifact(String name, long size, String sha256) {
}
