package io.romadr.scenario.datacorruption;

import java.util.List;

/** Where the originals went: the object key, the files kept, the archive's SHA-256 and size. */
public record QuarantineResult(String objectKey, List<String> files, String sha256, long sizeBytes) {
    public QuarantineResult {
        files = files == null ? List.of() : List.copyOf(files);
    }
}
