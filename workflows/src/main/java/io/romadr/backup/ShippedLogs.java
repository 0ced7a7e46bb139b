package io.romadr.backup;

/**
 * One shipped range: its manifest, whether it was already stored (a retried or repeated call), and the activity
 * attempt that returned it (2 or more: an earlier attempt failed or died with its worker).
 */
public record ShippedLogs(LogManifest manifest, boolean found, int attempt) {
}
