package io.romadr.backup;

/**
 * How bad an access-audit finding is: CRITICAL anyone can read (public), HIGH backups can be lost (deletion by the
 * worker's own identity, no versioning), MEDIUM a missing safety net (object lock, public access block), INFO what
 * was checked and found in order.
 */
public enum AuditSeverity {
    CRITICAL, HIGH, MEDIUM, INFO;

    /** Above INFO: something to act on. */
    public boolean actionable() {
        return this != INFO;
    }
}
