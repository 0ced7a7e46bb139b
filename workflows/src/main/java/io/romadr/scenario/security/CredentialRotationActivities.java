package io.romadr.scenario.security;

import io.temporal.activity.ActivityInterface;

/**
 * Credential rotation for the security-incident scenario. Values are generated, written and never returned, logged
 * or put in an exception: only names and versions come back.
 */
@ActivityInterface
public interface CredentialRotationActivities {
    /** Every credential {@code request} names, with its current version; reads metadata only, never a value. */
    RotationInventory inventory(RotationInventoryRequest request);

    /** Rotates one credential, exactly once per {@code rotationId} however often it is called. */
    RotationResult rotate(RotationRequest request);
}
