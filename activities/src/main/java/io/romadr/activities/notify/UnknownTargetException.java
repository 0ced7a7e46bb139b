package io.romadr.activities.notify;

/** A plan names a channel target the worker is not configured for; retrying cannot help. */
public final class UnknownTargetException extends RuntimeException {
    public UnknownTargetException(String message) {
        super(message);
    }
}
