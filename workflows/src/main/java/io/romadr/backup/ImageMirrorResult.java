package io.romadr.backup;

import java.util.List;

/** One repository's mirror run: per tag what was sent, and the extra tags added in the backup registry. */
public record ImageMirrorResult(String repository, List<ImageTagCopy> tags, List<String> extraTags, String problem) {
    public ImageMirrorResult {
        tags = tags == null ? List.of() : List.copyOf(tags);
        extraTags = extraTags == null ? List.of() : List.copyOf(extraTags);
        problem = problem == null ? "" : problem;
    }

    public boolean ok() {
        return problem.isEmpty() && tags.stream().allMatch(ImageTagCopy::ok);
    }

    public int blobsSent() {
        return tags.stream().mapToInt(ImageTagCopy::blobsSent).sum();
    }

    public int blobsSkipped() {
        return tags.stream().mapToInt(ImageTagCopy::blobsSkipped).sum();
    }

    public long bytesSent() {
        return tags.stream().mapToLong(ImageTagCopy::bytesSent).sum();
    }

    /** One tag: its digest, blobs sent / already present, bytes sent; {@code problem} empty when copied. */
    public record ImageTagCopy(String tag, String digest, int blobsSent, int blobsSkipped, long bytesSent,
            String problem) {
        public ImageTagCopy {
            problem = problem == null ? "" : problem;
        }

        public boolean ok() {
            return problem.isEmpty();
        }
    }
}
