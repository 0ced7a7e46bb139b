package io.romadr.scenario.siteloss;

import io.romadr.scenario.datacorruption.ValidateArtifactsRequest;

/** Validate the restored artifacts inside the new server's service container. */
public record SiteArtifactsRequest(SiteTarget target, ValidateArtifactsRequest artifacts) {
}
