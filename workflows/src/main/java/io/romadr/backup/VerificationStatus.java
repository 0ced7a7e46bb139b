package io.romadr.backup;

/** One check's result in a backup verification. */
public enum VerificationStatus {
    OK, STALE, CORRUPT, MISSING
}
