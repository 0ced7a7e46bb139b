package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.StateBackupSpec;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import java.util.List;

/**
 * One state snapshot or artifact backup: load the plan, stream the archive into the store, read it back to verify.
 * Shared by {@link StateSnapshotWorkflowImpl} and {@link ArtifactBackupWorkflowImpl}, which differ only in kind.
 */
final class ArchiveBackupRun {
    private final BackupKind kind;
    private final BackupRequest request;
    private final BackupWorkflowSupport run;
    private BackupManifest manifest;
    private VerifyResult verification;
    private ReplicaResult replica;

    ArchiveBackupRun(BackupKind kind, BackupRequest request) {
        this.kind = kind;
        this.request = request;
        this.run = new BackupWorkflowSupport("backup-" + kind.id(), request.plan()).notifyAsBackup(kind.id());
    }

    BackupReport execute() {
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup:", b -> true);
            BackupSpec backup = plan.backup();
            String project = plan.service().composeProject();
            SnapshotRequest snapshot;
            if (kind == BackupKind.STATE) {
                StateBackupSpec state = backup.state();
                if (state == null) {
                    run.steps.fail("plan-check", "plan \"" + plan.name() + "\" has no backup.state section");
                }
                snapshot = new SnapshotRequest(kind, plan.name(), backup.store(), project, state.service(),
                        state.path(), List.of("**"), key(plan), run.startedAt, run.workflowId);
            } else {
                ArtifactBackupSpec artifacts = backup.artifacts();
                if (artifacts == null) {
                    run.steps.fail("plan-check", "plan \"" + plan.name() + "\" has no backup.artifacts section");
                }
                snapshot = new SnapshotRequest(kind, plan.name(), backup.store(), project, artifacts.service(),
                        artifacts.path(), artifacts.include(), key(plan), run.startedAt, run.workflowId);
            }
            manifest = run.steps.run("snapshot", () -> run.backups.snapshot(snapshot), ArchiveBackupRun::describe);
            verification = run.verifyStored(backup.store(), manifest, "backup");
            replica = run.replicate(backup, manifest);
            return run.finish(Outcome.RECOVERED, this::report, BackupWorkflowSupport.withReplica(
                    "Stored " + manifest.objectKey() + " (" + ReportFormatter.bytes(manifest.sizeBytes()) + ", "
                            + manifest.entries() + " entries) in " + backup.store().uri()
                            + "; read back and verified.",
                    replica));
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.BACKUP_FAILED, this::report, "Backup failed at " + e.getMessage());
        }
    }

    private String key(RecoveryPlan plan) {
        return BackupKeys.objectKey(kind, plan.name(), run.startedAt, run.runId());
    }

    static String describe(BackupManifest m) {
        return m.objectKey() + ": " + ReportFormatter.bytes(m.sizeBytes()) + ", " + m.entries() + " entries, sha256 "
                + m.sha256().substring(0, Math.min(12, m.sha256().length()));
    }

    static String describe(VerifyResult v) {
        return v.ok() ? "sha256 and size match the manifest, " + v.entries() + " entries checked" : v.problem();
    }

    BackupReport progress() {
        return report("");
    }

    private BackupReport report(String summary) {
        return new BackupReport(run.workflowId, kind, request.plan(), request.requestedBy(), run.status.outcome(),
                run.startedAt, run.reportTime(), manifest, verification, run.steps.snapshot(), summary, replica);
    }
}
