package io.romadr.activities.registry;

import java.io.IOException;

/**
 * Content whose sha256 is not the digest it was fetched (or is being sent) under. An IOException so it can be thrown
 * from inside the streams that carry the bytes, which aborts the transfer.
 */
public final class DigestMismatchException extends IOException {
    public DigestMismatchException(String what, String expected, String actual) {
        super(what + ": expected digest " + expected + " but the content hashes to " + actual);
    }
}
