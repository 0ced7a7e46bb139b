package io.romadr.scenario.siteloss;

import io.romadr.backup.BackupManifest;
import io.romadr.plan.BackupStore;

/**
 * Decrypt {@code manifest}'s secrets export with the worker's key (checksum first) and write it to the server's
 * env file as {@code NAME=value} lines, mode 0600. Only names ever come back.
 */
public record SecretsInstallRequest(SiteTarget target, BackupStore store, BackupManifest manifest) {
}
