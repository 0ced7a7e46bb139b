package io.romadr.scenario.security;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The security-incident scenario on the Docker engine, the backup store and the backup registry. Every method looks
 * before it acts, so a retry after a worker crash finishes the job instead of doing it twice; long ones heartbeat.
 */
@ActivityInterface
public interface SecurityIncidentActivities {
    /** Which containers of the services exist, their images, digests and networks. Reads only. */
    @ActivityMethod
    IncidentAssessment assessIncident(IncidentAssessRequest request);

    /** Stops the containers, or disconnects them from their networks; what is already contained is left alone. */
    @ActivityMethod
    ContainResult contain(ContainRequest request);

    /**
     * Stores each container's evidence with its SHA-256, reads every stored object back and checks it, then writes
     * the manifest last. A retry that finds a manifest whose objects all check returns it and writes nothing.
     */
    @ActivityMethod
    EvidenceManifest preserveEvidence(EvidenceRequest request);

    /** Pulls each image by the backup registry's digest and tags it as the image the containers run. */
    @ActivityMethod
    KnownGoodImages stageKnownGoodImages(KnownGoodImagesRequest request);
}
