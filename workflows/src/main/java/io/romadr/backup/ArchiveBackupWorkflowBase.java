package io.romadr.backup;

/**
 * A backup workflow that {@link ArchiveBackupRun} runs (state snapshots, artifact backups): the run and its
 * {@code progress} query, written once for both workflow types.
 */
public abstract class ArchiveBackupWorkflowBase {
    private ArchiveBackupRun run;

    /** Runs the backup of {@code kind}; the workflow method of each type calls this. */
    protected BackupReport execute(BackupKind kind, BackupRequest request) {
        run = new ArchiveBackupRun(kind, request);
        return run.execute();
    }

    public BackupReport progress() {
        return run == null ? null : run.progress();
    }
}
