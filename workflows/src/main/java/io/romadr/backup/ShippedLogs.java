package io.romadr.backup;

/** One shipped range: its manifest, and whether it was already stored (a retried or repeated call). */
public record ShippedLogs(LogManifest manifest, boolean found) {
}
