package io.romadr.scenario.datacorruption;

import io.romadr.plan.BackupStore;
import java.util.List;

/** Keep {@code files} (relative to {@code path}; empty = every artifact) as they are now under {@code objectKey}. */
public record QuarantineRequest(String plan, BackupStore store, String project, String service, String path,
        List<String> include, List<String> files, String objectKey) {
    public QuarantineRequest {
        include = include == null ? List.of() : List.copyOf(include);
        files = files == null ? List.of() : List.copyOf(files);
    }
}
