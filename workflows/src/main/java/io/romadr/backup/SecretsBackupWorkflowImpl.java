package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;

public class SecretsBackupWorkflowImpl extends BackupWorkflowBase<BackupReport> implements SecretsBackupWorkflow {
    private BackupRequest request;
    private BackupManifest manifest;
    private VerifyResult verification;
    private ReplicaResult replica;

    @Override
    public BackupReport backup(BackupRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-secrets", request.plan()).notifyAsBackup(BackupKind.SECRETS.id());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup.secrets", b -> b.secrets() != null);
            BackupSpec backup = plan.backup();
            String key = BackupKeys.objectKey(BackupKind.SECRETS, plan.name(), run.startedAt, run.runId());
            manifest = run.steps.run("export-encrypt", () -> run.secrets.exportSecrets(new SecretsExportRequest(
                    plan.name(), backup.secretsStore(), backup.secrets(), key, run.startedAt, run.workflowId)),
                    m -> m.secretNames().size() + " secret(s) encrypted to " + m.recipients().size()
                            + " key(s): " + m.objectKey());
            verification = run.verifyStored(backup.secretsStore(), manifest, "export");
            // The encrypted object is copied as stored: the replica never sees a secret in clear.
            replica = run.replicate(backup, manifest);
            return run.finish(Outcome.RECOVERED, this::report, BackupWorkflowSupport.withReplica(
                    "Exported " + manifest.secretNames().size() + " secret(s) to " + manifest.objectKey()
                            + ", encrypted to " + String.join(", ", manifest.recipients())
                            + "; read back and verified.",
                    replica));
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.BACKUP_FAILED, this::report, "Secrets backup failed at " + e.getMessage());
        }
    }

    @Override
    protected BackupReport report(String summary) {
        return new BackupReport(run.workflowId, BackupKind.SECRETS, request.plan(), request.requestedBy(),
                run.status.outcome(), run.startedAt, run.reportTime(), manifest, verification,
                run.steps.snapshot(),
                summary, replica);
    }
}
