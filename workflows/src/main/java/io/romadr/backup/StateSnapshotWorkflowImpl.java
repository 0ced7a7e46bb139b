package io.romadr.backup;

public class StateSnapshotWorkflowImpl extends ArchiveBackupWorkflowBase implements StateSnapshotWorkflow {
    @Override
    public BackupReport snapshot(BackupRequest request) {
        return execute(BackupKind.STATE, request);
    }
}
