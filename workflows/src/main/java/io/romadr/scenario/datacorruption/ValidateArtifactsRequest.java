package io.romadr.scenario.datacorruption;

import java.util.List;

/** Check the artifacts under {@code path} of {@code project}/{@code service}; {@code schema} relative to the plans dir. */
public record ValidateArtifactsRequest(String plan, String project, String service, String path, List<String> include,
        String schema) {
    public ValidateArtifactsRequest {
        include = include == null ? List.of() : List.copyOf(include);
    }
}
