package io.romadr.backup;

/**
 * One row of the verification report: which kind ({@code state}, {@code artifacts}, {@code secrets}, {@code git},
 * {@code images}), which check (e.g. {@code freshness}, {@code integrity}, {@code decrypt}, {@code test-restore};
 * git and image checks name their remote or repository, e.g. {@code freshness backup-1}), the result and the
 * evidence for it.
 */
public record VerificationRow(String kind, String check, VerificationStatus status, String evidence) {
}
