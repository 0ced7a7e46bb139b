package io.romadr.activities.objectstore;

import java.util.List;

/**
 * How far an upload got, safe to put in an activity heartbeat (no content): the store's upload id, the part size,
 * and the parts already stored with the SHA-256 of each part's bytes. A resumed upload re-produces the stream and
 * skips re-sending every part whose bytes hash the same; from the first difference on, parts are sent again.
 */
public record UploadCheckpoint(String key, String uploadId, int partSize, List<Part> parts) {

    public UploadCheckpoint {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    public long bytes() {
        return parts.stream().mapToLong(Part::size).sum();
    }

    /** One stored part. */
    public record Part(int number, long size, String sha256, String etag) {
    }
}
