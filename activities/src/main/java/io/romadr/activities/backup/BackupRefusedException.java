package io.romadr.activities.backup;

/**
 * A backup operation that cannot succeed by retrying: a failed verification, a path that is not a mount, a file not
 * in the backup. The activity turns it into a non-retryable failure of type {@link #type()}.
 */
public final class BackupRefusedException extends RuntimeException {
    private final String type;

    public BackupRefusedException(String type, String message) {
        super(message);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
