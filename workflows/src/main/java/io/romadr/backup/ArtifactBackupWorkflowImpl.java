package io.romadr.backup;

public class ArtifactBackupWorkflowImpl implements ArtifactBackupWorkflow {
    private ArchiveBackupRun run;

    @Override
    public BackupReport backup(BackupRequest request) {
        run = new ArchiveBackupRun(BackupKind.ARTIFACTS, request);
        return run.execute();
    }

    @Override
    public BackupReport progress() {
        return run == null ? null : run.progress();
    }
}
