package io.romadr.backup;

public class ArtifactBackupWorkflowImpl extends ArchiveBackupWorkflowBase implements ArtifactBackupWorkflow {
    @Override
    public BackupReport backup(BackupRequest request) {
        return execute(BackupKind.ARTIFACTS, request);
    }
}
