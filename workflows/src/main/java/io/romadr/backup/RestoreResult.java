package io.romadr.backup;

import java.util.List;

/** What a restore wrote: where (host directory swapped in), how many entries and bytes, and which files. */
public record RestoreResult(String objectKey, String target, long entries, long bytes, List<String> files,
        String detail) {

    public RestoreResult {
        files = files == null ? List.of() : List.copyOf(files);
    }
}
