package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** State and artifact backups on the Docker engine and the object store. Long methods heartbeat. */
@ActivityInterface
public interface BackupActivities {
    /** Streams the container directory as tar.gz into the store (no temp file), then writes the manifest. */
    @ActivityMethod
    BackupManifest snapshot(SnapshotRequest request);

    @ActivityMethod
    List<BackupManifest> listBackups(ListBackupsRequest request);

    /** Reads the stored object back: size, SHA-256 against the manifest, and (archives) every entry is safe. */
    @ActivityMethod
    VerifyResult verifyBackup(BackupRef ref);

    /** Verifies, then stops the service's container, swaps the restored directory in and starts it again. */
    @ActivityMethod
    RestoreResult restoreArchive(RestoreRequest request);

    /**
     * Copies a stored backup to the replica store: streamed, heartbeating, resuming a large upload on retry; an
     * object the replica already holds with the manifest's SHA-256 is not copied again; the manifest goes last.
     */
    @ActivityMethod
    ReplicaCopy replicateBackup(ReplicateRequest request);

    /** Deletes the manifest first (so the backup disappears atomically), then the object. Absent = done. */
    @ActivityMethod
    void deleteBackup(BackupRef ref);
}
