package io.romadr.temporal;

/**
 * A Temporal connection setting that cannot work: a missing or unreadable file, a bad PEM, settings that do not go
 * together. The message names the setting and the file, never a secret; it is raised before any channel is opened.
 */
public final class TemporalConfigException extends IllegalArgumentException {
    public TemporalConfigException(String message) {
        super(message);
    }
}
