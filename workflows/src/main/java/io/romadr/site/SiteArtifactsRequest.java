package io.romadr.site;

import io.romadr.corruption.ValidateArtifactsRequest;

/** Validate the restored artifacts inside the new server's service container. */
public record SiteArtifactsRequest(SiteTarget target, ValidateArtifactsRequest artifacts) {
}
