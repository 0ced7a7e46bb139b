package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Secrets export and restore; only object keys and secret names ever cross into workflow history. */
@ActivityInterface
public interface SecretsActivities {
    @ActivityMethod
    BackupManifest exportSecrets(SecretsExportRequest request);

    @ActivityMethod
    SecretsRestoreResult restoreSecrets(SecretsRestoreRequest request);

    /**
     * Verification's round trip: checks the SHA-256, decrypts with the worker's key and checks that the secrets
     * named in the manifest are all inside. Writes nothing; the plaintext never leaves the activity.
     */
    @ActivityMethod
    VerifyResult checkSecrets(SecretsRestoreRequest request);

    /**
     * The secrets watch's poll: the current version of each secret the plan names and when it was made, from the
     * sources' metadata (Vault {@code GET <mount>/metadata/<path>}, Secrets Manager {@code DescribeSecret}). Reads
     * no value. A short call.
     */
    @ActivityMethod
    SecretVersions secretVersions(SecretVersionsRequest request);
}
