package io.romadr.activities.archive;

import io.romadr.activities.FailureMessages;
import java.io.IOException;

/**
 * An archive was refused: names the entry (null when the whole archive is refused, e.g. by checksum) and why. The
 * message quotes the entry name cut to {@link #NAME_BYTES} bytes (with control characters escaped) and is itself
 * bounded, so a hostile name cannot make the failure too large for Temporal.
 */
public final class UnsafeArchiveException extends IOException {
    /** How much of an entry name a message quotes. */
    static final int NAME_BYTES = 300;

    private final String entry;
    private final String reason;

    public UnsafeArchiveException(String entry, String reason) {
        super(FailureMessages.bounded(entry == null
                ? "archive refused: " + reason
                : "archive entry '" + FailureMessages.bounded(entry, NAME_BYTES) + "' refused: " + reason));
        this.entry = entry;
        this.reason = reason;
    }

    /** The refused entry's name as stored in the archive, or null when the refusal is not about one entry. */
    public String entry() {
        return entry;
    }

    public String reason() {
        return reason;
    }
}
