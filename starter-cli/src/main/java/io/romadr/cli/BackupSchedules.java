package io.romadr.cli;

import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.AuditRequest;
import io.romadr.backup.BackupAccessAuditWorkflow;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.GitMirrorWorkflow;
import io.romadr.backup.ImageMirrorWorkflow;
import io.romadr.backup.LogShippingWorkflow;
import io.romadr.backup.VerificationRequest;
import io.romadr.backup.RetentionRequest;
import io.romadr.backup.RetentionWorkflow;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.SecretsWatchWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import io.romadr.plan.BackupScheduleSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The Temporal Schedules a plan asks for: one per backup kind its {@code backup:} section covers, plus retention,
 * the weekly verification and the quarterly access audit. */
final class BackupSchedules {
    static final String ID_PREFIX = "roma-dr-";
    static final String REQUESTED_BY = "schedule";
    /** The secrets watch's kind in its schedule id (no dash: apply deletes it when the plan drops its secrets). */
    static final String SECRETS_WATCH = "secretswatch";
    /** One watch polls for about this long (SecretsWatchWorkflowImpl.SPAN). */
    static final Duration WATCH_EVERY = Duration.ofHours(1);

    private BackupSchedules() {
    }

    static String id(String plan, String kind) {
        return ID_PREFIX + plan + "-" + kind;
    }

    static List<PlannedSchedule> of(RecoveryPlan plan) {
        BackupSpec backup = plan.backup();
        List<PlannedSchedule> all = new ArrayList<>();
        if (backup == null) {
            return all;
        }
        BackupScheduleSpec every = backup.schedule();
        String p = plan.name();
        BackupRequest request = new BackupRequest(p, REQUESTED_BY);
        if (backup.state() != null) {
            all.add(backup(id(p, "state"), "state", StateSnapshotWorkflow.TYPE, "backup-state-" + p, request,
                    every.state()));
        }
        if (backup.artifacts() != null) {
            all.add(backup(id(p, "artifacts"), "artifacts", ArtifactBackupWorkflow.TYPE, "backup-artifacts-" + p,
                    request, every.artifacts()));
        }
        if (backup.secrets() != null) {
            all.add(backup(id(p, "secrets"), "secrets", SecretsBackupWorkflow.TYPE, "backup-secrets-" + p,
                    request, every.secrets()));
            // Hourly watches of the secrets' metadata, each polling every secretsPoll for the hour; buffer-one: a
            // watch that runs a moment over its hour is followed at once, never a gap nor two at once.
            all.add(new PlannedSchedule(id(p, SECRETS_WATCH), SECRETS_WATCH, SecretsWatchWorkflow.TYPE,
                    SecretsWatchWorkflow.workflowIdPrefix(p), request, PlannedSchedule.every(WATCH_EVERY),
                    ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE));
        }
        if (backup.git() != null) {
            all.add(backup(id(p, "git"), "git", GitMirrorWorkflow.TYPE, "backup-git-" + p, request, every.git()));
        }
        if (backup.images() != null) {
            all.add(backup(id(p, "images"), "images", ImageMirrorWorkflow.TYPE, "backup-images-" + p, request,
                    every.images()));
        }
        if (backup.logs() != null) {
            all.add(backup(id(p, "logs"), "logs", LogShippingWorkflow.TYPE, "backup-logs-" + p, request,
                    every.logs()));
        }
        all.add(backup(id(p, "retention"), "retention", RetentionWorkflow.TYPE, "retention-" + p,
                new RetentionRequest(p, false, REQUESTED_BY), every.retention()));
        all.add(backup(id(p, "verification"), "verification", BackupVerificationWorkflow.TYPE,
                "backup-verification-" + p, new VerificationRequest(p, REQUESTED_BY), every.verification()));
        all.add(backup(id(p, "audit"), "audit", BackupAccessAuditWorkflow.TYPE, "backup-access-audit-" + p,
                new AuditRequest(p, REQUESTED_BY), every.audit()));
        return all;
    }

    /** One schedule: id {@code roma-dr-<plan>-<kind>}, the workflow it starts with its one argument, the interval. */
    private static PlannedSchedule backup(String id, String kind, String workflowType, String workflowIdPrefix,
            Object argument, Duration every) {
        return new PlannedSchedule(id, kind, workflowType, workflowIdPrefix, argument, PlannedSchedule.every(every));
    }
}
