package io.romadr.scenario.datacorruption;

import io.romadr.scenario.servicefailure.ActionResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Scenario 2 on the Docker engine and the object store: check artifacts, quarantine, stop/start the producer. */
@ActivityInterface
public interface DataRecoveryActivities {
    /**
     * Reads every artifact (files under the path matching the include globs) out of the running container and checks
     * it: well-formed JSON, and valid against the plan's JSON Schema when one is given. Reads only.
     */
    @ActivityMethod
    ArtifactCheck validateArtifacts(ValidateArtifactsRequest request);

    /** The same checks on the files inside a stored artifacts backup (read from the store; nothing is restored). */
    @ActivityMethod
    ArtifactCheck validateBackup(ValidateBackupRequest request);

    /**
     * Copies the named files (all artifacts when empty) out of the container, as they are now, into the store as
     * {@code request.objectKey()} (tar.gz) with a manifest: the originals are kept, never deleted. Idempotent: an
     * object already stored under that key is kept.
     */
    @ActivityMethod
    QuarantineResult quarantine(QuarantineRequest request);

    /** Stops the producer's containers (compose project/service), so nothing new is written during the repair. */
    @ActivityMethod
    ActionResult stopProducer(ProducerRequest request);

    /** Starts them again (idempotent: running containers are left alone). */
    @ActivityMethod
    ActionResult startProducer(ProducerRequest request);
}
