package io.romadr.activities.objectstore;

import java.time.Instant;

/** A committed object: key, size in bytes, and the store's modification time (informational only). */
public record ObjectInfo(String key, long size, Instant lastModified) {
}
