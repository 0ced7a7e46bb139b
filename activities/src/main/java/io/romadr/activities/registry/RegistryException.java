package io.romadr.activities.registry;

/** A registry answered something unexpected (status, missing header) or could not be reached. */
public class RegistryException extends RuntimeException {
    private final int status;

    public RegistryException(String message, int status) {
        super(message);
        this.status = status;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** The HTTP status, or -1 when there was no answer. */
    public int status() {
        return status;
    }
}
