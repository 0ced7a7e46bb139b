package io.romadr.scenario.siteloss;

import io.romadr.backup.BackupManifest;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ServiceSpec;

/**
 * Restore {@code manifest} (checksum and every entry checked first) into {@code path} of {@code service}'s container
 * on the server: the archive goes to the server directory the template mounts there, then the service restarts.
 */
public record SiteRestoreRequest(SiteTarget target, BackupStore store, BackupManifest manifest, ServiceSpec services,
        String service, String path) {
}
