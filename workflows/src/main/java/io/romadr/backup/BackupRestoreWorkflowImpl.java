package io.romadr.backup;

import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

public class BackupRestoreWorkflowImpl extends BackupWorkflowBase<RestoreReport> implements BackupRestoreWorkflow {
    private RestoreBackupRequest request;
    private BackupManifest used;
    private Long rpoTarget;
    private final List<VerifyResult> rejected = new ArrayList<>();
    private RestoreResult restored;
    private SecretsRestoreResult secretsRestored;

    @Override
    public RestoreReport restore(RestoreBackupRequest request) {
        this.request = request;
        BackupKind kind = request.kind() == null ? BackupKind.STATE : request.kind();
        run = new BackupWorkflowSupport("restore-" + kind.id(), request.plan());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan());
            BackupSpec backup = plan.backup();
            requireSection(plan, kind);
            rpoTarget = switch (kind) {
                case STATE -> plan.rpo().executionState().toMillis();
                case ARTIFACTS -> plan.rpo().artifacts().toMillis();
                case SECRETS -> null;
            };
            List<BackupManifest> manifests = run.steps.run("list-backups",
                    () -> run.backups.listBackups(new ListBackupsRequest(kind.storeIn(backup), plan.name(), kind)),
                    l -> l.size() + " " + kind.id() + " backup(s) in " + kind.storeIn(backup).uri());
            used = choose(backup, kind, manifests);
            switch (kind) {
                case STATE -> restored = run.steps.run("restore", () -> run.backups.restoreArchive(new RestoreRequest(
                        backup.store(), used, plan.service().composeProject(), backup.state().service(),
                        backup.state().path(), List.of())), r -> r.detail());
                case ARTIFACTS -> restored = run.steps.run("restore",
                        () -> run.backups.restoreArchive(new RestoreRequest(
                                backup.store(), used, plan.service().composeProject(), backup.artifacts().service(),
                                backup.artifacts().path(), request.only())),
                        r -> r.detail());
                case SECRETS -> secretsRestored = run.steps.run("restore", () -> run.secrets.restoreSecrets(
                        new SecretsRestoreRequest(backup.secretsStore(), backup.secrets(), used,
                                request.privateKeyFile())),
                        r -> r.written().size() + " written, " + r.unchanged().size() + " already equal");
            }
            if (kind != BackupKind.SECRETS) {
                waitHealthy(plan);
            }
            long age = run.startedAt - used.createdAt();
            return run.finish(Outcome.RECOVERED, this::report,
                    "Restored " + kind.id() + " from " + used.objectKey() + " (data age "
                            + ReportFormatter.age(age) + (rpoTarget == null
                                    ? ""
                                    : age <= rpoTarget
                                            ? ", within RPO " + ReportFormatter.age(rpoTarget)
                                            : ", BEYOND RPO " + ReportFormatter.age(rpoTarget))
                            + ")"
                            + (rejected.isEmpty()
                                    ? "."
                                    : "; skipped " + rejected.size() + " newer backup(s) that failed verification."));
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.RESTORE_FAILED, this::report, "Restore failed at " + e.getMessage());
        }
    }

    private void requireSection(RecoveryPlan plan, BackupKind kind) {
        BackupSpec b = plan.backup();
        boolean present = b != null && switch (kind) {
            case STATE -> b.state() != null;
            case ARTIFACTS -> b.artifacts() != null;
            case SECRETS -> b.secrets() != null;
        };
        if (!present) {
            run.steps.fail("plan-check", "plan \"" + plan.name() + "\" has no backup." + kind.id() + " section");
        }
    }

    /** The named backup, or the newest that verifies: nothing is restored from a backup that fails its checksum. */
    private BackupManifest choose(BackupSpec backup, BackupKind kind, List<BackupManifest> manifests) {
        List<BackupManifest> candidates = new ArrayList<>(manifests);
        candidates.sort(Comparator.comparingLong(BackupManifest::createdAt).reversed());
        if (!request.from().isEmpty()) {
            candidates = candidates.stream().filter(m -> m.objectKey().equals(request.from())
                    || m.manifestKey().equals(request.from())
                    || m.objectKey().endsWith("/" + request.from())).toList();
            if (candidates.isEmpty()) {
                run.steps.fail("choose-backup", "no " + kind.id() + " backup \"" + request.from() + "\" for plan \""
                        + request.plan() + "\" (see: roma-dr backups list --plan " + request.plan() + ")");
            }
        } else if (candidates.isEmpty()) {
            run.steps.fail("choose-backup", "there is no " + kind.id() + " backup for plan \"" + request.plan() + "\"");
        }
        for (BackupManifest m : candidates) {
            VerifyResult v = run.steps.check("verify",
                    () -> run.backups.verifyBackup(new BackupRef(kind.storeIn(backup), m)),
                    r -> m.objectKey() + (r.ok() ? ": " : " refused: ") + ArchiveBackupRun.describe(r),
                    VerifyResult::ok);
            if (v.ok()) {
                return m;
            }
            rejected.add(v);
        }
        run.steps.fail("choose-backup", candidates.size() == 1 && !request.from().isEmpty()
                ? "backup " + candidates.get(0).objectKey() + " failed verification; nothing was restored"
                : "none of the " + candidates.size() + " " + kind.id() + " backups verifies; nothing was restored");
        return null; // not reached: fail() throws
    }

    private void waitHealthy(RecoveryPlan plan) {
        RecoverySettings s = plan.recovery();
        ServiceActivities service = run.steps.stub(ServiceActivities.class, s.waitHealthy().plusMinutes(1),
                Duration.ofSeconds(5), Retries.of(BackupWorkflowSupport.SERVICE_ATTEMPTS,
                        Duration.ofSeconds(10)));
        HealthResult health = run.steps.check("wait-healthy", () -> service.waitHealthy(new HealthRequest(
                plan.service().composeProject(), plan.service().healthChecks(), s.waitHealthy(), s.pollInterval())),
                HealthResult::summary, HealthResult::healthy);
        if (!health.healthy()) {
            throw new Steps.Failed("wait-healthy: data restored, but the service is not healthy: "
                    + health.summary());
        }
    }

    @Override
    protected RestoreReport report(String summary) {
        Long age = used == null ? null : run.startedAt - used.createdAt();
        return new RestoreReport(run.workflowId, request.kind(), request.plan(), request.requestedBy(),
                run.status.outcome(), run.startedAt, BackupWorkflowSupport.now(), used, age, rpoTarget, rejected,
                restored,
                secretsRestored, run.steps.snapshot(), summary);
    }
}
