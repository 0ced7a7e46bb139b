package io.romadr.backup;

/** One file inside a backup archive: path relative to the backed-up directory, size and SHA-256 (hex). */
public record FileDigest(String path, long size, String sha256) {
}
