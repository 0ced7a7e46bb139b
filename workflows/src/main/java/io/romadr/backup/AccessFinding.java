package io.romadr.backup;

/**
 * One row of the backup access audit: {@code target} (a store, {@code "main s3://bucket/prefix"}, or a Vault path),
 * the {@code check} (e.g. {@code bucket policy}, {@code versioning}), its {@code severity}, the {@code evidence} read
 * (policy statement ids, grants, flags; never a secret) and {@code action}, what to do about it.
 */
public record AccessFinding(String target, String check, AuditSeverity severity, String evidence, String action) {
    public AccessFinding {
        evidence = evidence == null ? "" : evidence;
        action = action == null ? "" : action;
    }
}
