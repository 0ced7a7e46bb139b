package io.romadr.activities.secrets;

import java.io.IOException;
import java.util.List;

/**
 * A failed Vault / OpenBao call. The message has the method, the API path, the HTTP status and Vault's
 * {@code errors} array; never the token, request bodies or secret values.
 */
public class VaultException extends IOException {
    private final int status;
    private final List<String> errors;

    public VaultException(String message, int status, List<String> errors) {
        super(message);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.errors = List.of();
    }

    /** HTTP status, or -1 when no response arrived (timeout, connection refused). */
    public int status() {
        return status;
    }

    public List<String> errors() {
        return errors;
    }
}
