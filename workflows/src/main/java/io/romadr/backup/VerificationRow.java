package io.romadr.backup;

/** One row of the verification report: which kind, which check, the result and the evidence for it. */
public record VerificationRow(BackupKind kind, String check, VerificationStatus status, String evidence) {
}
