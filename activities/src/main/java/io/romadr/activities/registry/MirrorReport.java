package io.romadr.activities.registry;

import java.util.List;

/** What one mirror run did, per tag. */
public record MirrorReport(List<TagResult> tags) {
    /** One tag: its digest, the blobs sent / already present on the target, bytes sent, or the error. */
    public record TagResult(String tag, String digest, int blobsSent, int blobsSkipped, long bytesSent,
            List<String> extraTags, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public boolean ok() {
        return tags.stream().allMatch(TagResult::ok);
    }

    public int blobsSent() {
        return tags.stream().mapToInt(TagResult::blobsSent).sum();
    }

    public int blobsSkipped() {
        return tags.stream().mapToInt(TagResult::blobsSkipped).sum();
    }

    public long bytesSent() {
        return tags.stream().mapToLong(TagResult::bytesSent).sum();
    }
}
