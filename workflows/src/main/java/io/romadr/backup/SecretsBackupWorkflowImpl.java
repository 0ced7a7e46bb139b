package io.romadr.backup;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;

public class SecretsBackupWorkflowImpl implements SecretsBackupWorkflow {
    private BackupWorkflowSupport run;
    private BackupRequest request;
    private BackupManifest manifest;
    private VerifyResult verification;

    @Override
    public BackupReport backup(BackupRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-secrets", request.plan());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan());
            BackupSpec backup = plan.backup();
            if (backup == null || backup.secrets() == null) {
                run.fail("plan-check", "plan \"" + plan.name() + "\" has no backup.secrets section");
            }
            String key = BackupKeys.objectKey(BackupKind.SECRETS, plan.name(), run.startedAt, run.runId());
            manifest = run.step("export-encrypt", () -> run.secrets.exportSecrets(new SecretsExportRequest(
                    plan.name(), backup.store(), backup.secrets(), key, run.startedAt, run.workflowId)),
                    m -> m.secretNames().size() + " secret(s) encrypted to " + m.recipients().size()
                            + " key(s): " + m.objectKey());
            verification = run.step("verify", () -> run.backups.verifyBackup(new BackupRef(backup.store(), manifest)),
                    ArchiveBackupRun::describe, VerifyResult::ok);
            if (!verification.ok()) {
                BackupWorkflowSupport.failAfter("verify",
                        "the stored export does not read back: " + verification.problem());
            }
            run.finish(Outcome.RECOVERED);
            return report("Exported " + manifest.secretNames().size() + " secret(s) to " + manifest.objectKey()
                    + ", encrypted to " + String.join(", ", manifest.recipients()) + "; read back and verified.");
        } catch (BackupWorkflowSupport.StepFailed e) {
            run.finish(Outcome.FAILED);
            BackupReport failed = report("Secrets backup failed at " + e.getMessage());
            throw RunFailure.of(RunFailure.BACKUP_FAILED, failed.summary(), failed);
        }
    }

    @Override
    public BackupReport progress() {
        return run == null ? null : report("");
    }

    private BackupReport report(String summary) {
        return new BackupReport(run.workflowId, BackupKind.SECRETS, request.plan(), request.requestedBy(),
                run.outcome(), run.startedAt, BackupWorkflowSupport.now(), manifest, verification, run.steps(),
                summary);
    }
}
