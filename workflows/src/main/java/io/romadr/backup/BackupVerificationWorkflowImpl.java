package io.romadr.backup;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.VerificationSpec;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

public class BackupVerificationWorkflowImpl implements BackupVerificationWorkflow {
    private BackupWorkflowSupport run;
    private VerificationRequest request;
    private final List<VerificationRow> rows = new ArrayList<>();

    @Override
    public VerificationReport verify(VerificationRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-verification", request.plan());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan());
            BackupSpec backup = plan.backup();
            if (backup == null) {
                run.fail("plan-check", "plan \"" + plan.name() + "\" has no backup: section");
            }
            VerificationSpec limits = backup.verification();
            if (backup.state() != null) {
                verifyKind(plan, backup, BackupKind.STATE, limits.stateMaxAge());
            }
            if (backup.artifacts() != null) {
                verifyKind(plan, backup, BackupKind.ARTIFACTS, limits.artifactsMaxAge());
            }
            if (backup.secrets() != null) {
                verifyKind(plan, backup, BackupKind.SECRETS, limits.secretsMaxAge());
            }
        } catch (BackupWorkflowSupport.StepFailed e) {
            run.finish(Outcome.FAILED);
            VerificationReport failed = report("Verification could not run: " + e.getMessage());
            throw BackupWorkflowSupport.failure("VerificationFailed", failed.summary(), failed);
        }
        VerificationReport done = report("");
        run.finish(done.allOk() ? Outcome.RECOVERED : Outcome.FAILED);
        long bad = rows.stream().filter(r -> r.status() != VerificationStatus.OK).count();
        return report(bad == 0 ? "All " + rows.size() + " checks OK."
                : bad + " of " + rows.size() + " checks NOT OK: " + String.join("; ", rows.stream()
                        .filter(r -> r.status() != VerificationStatus.OK)
                        .map(r -> r.kind() + " " + r.check() + " " + r.status()).toList()) + ".");
    }

    private void verifyKind(RecoveryPlan plan, BackupSpec backup, BackupKind kind, Duration maxAge) {
        List<BackupManifest> manifests = run.step("list-" + kind.id(),
                () -> run.backups.listBackups(new ListBackupsRequest(backup.store(), plan.name(), kind)),
                l -> l.size() + " backup(s)");
        if (manifests.isEmpty()) {
            rows.add(new VerificationRow(kind.id(), "freshness", VerificationStatus.MISSING,
                    "no " + kind.id() + " backup in " + backup.store().uri()));
            return;
        }
        BackupManifest newest = manifests.stream().max(Comparator.comparingLong(BackupManifest::createdAt))
                .orElseThrow();
        long age = BackupWorkflowSupport.now() - newest.createdAt();
        rows.add(new VerificationRow(kind.id(), "freshness",
                age <= maxAge.toMillis() ? VerificationStatus.OK : VerificationStatus.STALE,
                "newest " + newest.objectKey() + " is " + ReportFormatter.age(age) + " old (max "
                        + ReportFormatter.age(maxAge.toMillis()) + ")"));
        VerifyResult integrity = run.step("verify-" + kind.id(),
                () -> run.backups.verifyBackup(new BackupRef(backup.store(), newest)),
                r -> newest.objectKey() + ": " + ArchiveBackupRun.describe(r), VerifyResult::ok);
        rows.add(row(kind, "integrity", integrity));
        if (kind == BackupKind.SECRETS && integrity.ok()) {
            VerifyResult decrypt = run.step("decrypt-" + kind.id(),
                    () -> run.secrets.checkSecrets(new SecretsRestoreRequest(backup.store(), backup.secrets(), newest,
                            "")),
                    r -> newest.objectKey() + ": " + (r.ok() ? "decrypts" : r.problem()), VerifyResult::ok);
            rows.add(row(kind, "decrypt", decrypt));
        }
    }

    private static VerificationRow row(BackupKind kind, String check, VerifyResult v) {
        VerificationStatus status = v.ok() ? VerificationStatus.OK
                : v.problem() != null && v.problem().startsWith("missing") ? VerificationStatus.MISSING
                : VerificationStatus.CORRUPT;
        return new VerificationRow(kind.id(), check, status, v.objectKey() + ": " + ArchiveBackupRun.describe(v));
    }

    @Override
    public VerificationReport progress() {
        return run == null ? null : report("");
    }

    private VerificationReport report(String summary) {
        return new VerificationReport(run.workflowId, request.plan(), run.startedAt, BackupWorkflowSupport.now(),
                rows, run.steps(), summary);
    }
}
