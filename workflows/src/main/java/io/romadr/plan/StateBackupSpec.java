package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Execution state to snapshot (seed: backup kind 4, hourly): {@code path} inside the running container of compose
 * service {@code service}. The path should be a volume or bind mount, so a restore can swap it on the host.
 */
public record StateBackupSpec(@JsonProperty(required = true) String service,
        @JsonProperty(required = true) String path) {

    public StateBackupSpec {
        InvalidFieldException.requireText(service, "service");
        InvalidFieldException.requireText(path, "path");
        InvalidFieldException.require(path.startsWith("/") && !path.equals("/"), "path",
                "must be an absolute directory inside the container, not \"/\", got \"" + path + "\"");
        InvalidFieldException.require(!path.contains("/../") && !path.endsWith("/.."), "path",
                "must not contain \"..\"");
    }
}
