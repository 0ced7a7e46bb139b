package io.romadr.backup;

/**
 * Result of reading a stored backup back: {@code ok} when the object exists, its SHA-256 and size equal the
 * manifest's, and (for archives) every entry is safe to extract. {@code problem} says what is wrong otherwise, e.g.
 * "sha256 mismatch: manifest 3f2a..., stored 9b01..." or "entry ../../etc/passwd escapes the target".
 */
public record VerifyResult(String objectKey, boolean ok, String problem, String actualSha256, long actualSize,
        long entries) {
}
