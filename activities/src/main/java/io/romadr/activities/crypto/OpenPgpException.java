package io.romadr.activities.crypto;

import java.io.IOException;

/**
 * An OpenPGP key or message problem (bad key, wrong key, wrong passphrase, failed integrity check). An
 * {@link IOException} so that it can surface from a decrypting stream's {@code read}. Messages name keys by
 * fingerprint / key id and user id, never a passphrase or plaintext.
 */
public class OpenPgpException extends IOException {
    public OpenPgpException(String message) {
        super(message);
    }

    public OpenPgpException(String message, Throwable cause) {
        super(message, cause);
    }
}
