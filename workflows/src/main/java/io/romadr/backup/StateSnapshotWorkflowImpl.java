package io.romadr.backup;

public class StateSnapshotWorkflowImpl implements StateSnapshotWorkflow {
    private ArchiveBackupRun run;

    @Override
    public BackupReport snapshot(BackupRequest request) {
        run = new ArchiveBackupRun(BackupKind.STATE, request);
        return run.execute();
    }

    @Override
    public BackupReport progress() {
        return run == null ? null : run.progress();
    }
}
