package io.romadr.backup;

import io.romadr.plan.BackupStore;
import io.romadr.plan.SecretsBackupSpec;

/**
 * Decrypt {@code manifest}'s export with the worker's private key and write every secret back where it came from,
 * key by key, skipping those already equal. {@code privateKeyFile} is a path on the worker (or empty: the worker's
 * {@code ROMA_DR_SECRETS_KEY_FILE} / {@code ROMA_DR_SECRETS_KEY}); the passphrase only ever comes from the worker's
 * environment ({@code ROMA_DR_SECRETS_PASSPHRASE} or {@code ROMA_DR_SECRETS_PASSPHRASE_FILE}).
 */
public record SecretsRestoreRequest(BackupStore store, SecretsBackupSpec spec, BackupManifest manifest,
        String privateKeyFile) {
}
