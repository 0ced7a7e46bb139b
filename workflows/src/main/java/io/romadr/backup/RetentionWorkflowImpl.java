package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RetentionSpec;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * For each kind: list the manifests, find the newest backup that still verifies (it is never deleted), decide with
 * {@link RetentionRules}, then delete manifest-first. Deleting is idempotent, so a retried or re-run retention
 * finishes the job.
 */
public class RetentionWorkflowImpl extends BackupWorkflowBase<RetentionReport> implements RetentionWorkflow {
    private RetentionRequest request;
    private final List<RetentionDecision> decisions = new ArrayList<>();
    private int deleted;
    /** Version 1: the replica's old backups are deleted by the same rules (older histories replay without). */
    static final String REPLICA_RETENTION = "retention-replica";
    private boolean withReplica;
    private int replicaDeleted;
    private final List<String> replicaProblems = new ArrayList<>();

    @Override
    public RetentionReport apply(RetentionRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("retention", request.plan());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup:", b -> true);
            BackupSpec backup = plan.backup();
            RetentionSpec retention = backup.retention();
            withReplica = backup.replica() != null
                    && Workflow.getVersion(REPLICA_RETENTION, Workflow.DEFAULT_VERSION, 1) >= 1;
            applyKind(plan, backup, BackupKind.STATE, retention.state());
            applyKind(plan, backup, BackupKind.ARTIFACTS, retention.artifacts());
            applyKind(plan, backup, BackupKind.SECRETS, retention.secrets());
            long kept = decisions.stream().filter(RetentionDecision::keep).count();
            String replica = !withReplica
                    ? ""
                    : replicaProblems.isEmpty()
                            ? " Replica " + backup.replica().store().uri() + ": " + (request.dryRun()
                                    ? "dry run, nothing deleted."
                                    : "deleted " + replicaDeleted + " backup(s) by the same rules.")
                            : " WARNING: replica " + backup.replica().store().uri() + " NOT cleaned: "
                                    + String.join("; ", replicaProblems) + ".";
            return run.finish(Outcome.RECOVERED, this::report,
                    (request.dryRun() ? "Dry run: would delete " : "Deleted ")
                            + decisions.stream().filter(d -> !d.keep()).count() + " backup(s), kept " + kept + "."
                            + replica);
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.RETENTION_FAILED, this::report,
                    "Retention failed at " + e.getMessage() + " (deleted " + deleted
                            + " before that).");
        }
    }

    private void applyKind(RecoveryPlan plan, BackupSpec backup, BackupKind kind, RetentionSpec.Rule rule) {
        List<BackupManifest> manifests = run.steps.run("list-" + kind.id(),
                () -> run.backups.listBackups(new ListBackupsRequest(kind.storeIn(backup), plan.name(), kind)),
                l -> l.size() + " backup(s)");
        if (manifests.isEmpty()) {
            return;
        }
        List<BackupManifest> newestFirst = new ArrayList<>(manifests);
        newestFirst.sort(Comparator.comparingLong(BackupManifest::createdAt).reversed());
        String newestGood = null;
        for (BackupManifest m : newestFirst) {
            VerifyResult v = run.steps.check("verify-newest-" + kind.id(),
                    () -> run.backups.verifyBackup(new BackupRef(kind.storeIn(backup), m)),
                    r -> m.objectKey() + ": " + ArchiveBackupRun.describe(r), VerifyResult::ok);
            if (v.ok()) {
                newestGood = m.objectKey();
                break;
            }
        }
        if (newestGood == null) {
            run.steps.mark("verify-newest-" + kind.id(), StepOutcome.FAILED,
                    "no " + kind.id() + " backup verifies; retention keeps them all");
        }
        if (withReplica) {
            applyReplica(plan, backup.replica().store(), kind, rule, newestGood);
        }
        List<RetentionDecision> forKind = RetentionRules.decide(kind, manifests, BackupWorkflowSupport.now(), rule,
                newestGood);
        if (newestGood == null) {
            // Nothing is known good: deleting anything could remove the last usable copy.
            forKind = forKind.stream().map(d -> new RetentionDecision(d.kind(), d.objectKey(), d.createdAt(), true,
                    "kept: no " + kind.id() + " backup verifies, so none is deleted")).toList();
        }
        decisions.addAll(forKind);
        List<RetentionDecision> toDelete = forKind.stream().filter(d -> !d.keep()).toList();
        if (request.dryRun() || toDelete.isEmpty()) {
            run.steps.mark("delete-" + kind.id(), StepOutcome.SKIPPED,
                    (request.dryRun() ? "dry run: would delete " : "")
                            + toDelete.size() + " backup(s)");
            return;
        }
        run.steps.run("delete-" + kind.id(), () -> {
            java.util.Set<String> keys = toDelete.stream().map(RetentionDecision::objectKey)
                    .collect(java.util.stream.Collectors.toSet());
            for (BackupManifest m : newestFirst) {
                if (keys.contains(m.objectKey())) {
                    run.backups.deleteBackup(new BackupRef(kind.storeIn(backup), m));
                    deleted++;
                }
            }
            return toDelete.size();
        }, n -> "deleted " + n + " backup(s)");
    }

    /**
     * The replica's own backups of {@code kind}, decided by the same rule, the primary's newest good backup always
     * kept; nothing is deleted when no primary backup verifies. A replica that cannot be listed or cleaned does not
     * fail the run (the primary's retention is done): the summary says so and the step is FAILED.
     */
    private void applyReplica(RecoveryPlan plan, BackupStore replica, BackupKind kind, RetentionSpec.Rule rule,
            String newestGood) {
        String step = "delete-" + kind.id() + "-replica";
        try {
            List<BackupManifest> manifests = run.steps.run("list-" + kind.id() + "-replica",
                    () -> run.backups.listBackups(new ListBackupsRequest(replica, plan.name(), kind)),
                    l -> l.size() + " backup(s) in " + replica.uri() + " (" + replica.region() + ")");
            List<String> toDelete = newestGood == null
                    ? List.of()
                    : RetentionRules.decide(kind, manifests, BackupWorkflowSupport.now(), rule, newestGood).stream()
                            .filter(d -> !d.keep()).map(RetentionDecision::objectKey).toList();
            if (request.dryRun() || toDelete.isEmpty()) {
                run.steps.mark(step, StepOutcome.SKIPPED, (request.dryRun() ? "dry run: would delete " : "")
                        + toDelete.size() + " replica backup(s)");
                return;
            }
            run.steps.run(step, () -> {
                int n = 0;
                for (BackupManifest m : manifests) {
                    if (toDelete.contains(m.objectKey())) {
                        run.backups.deleteBackup(new BackupRef(replica, m));
                        replicaDeleted++;
                        n++;
                    }
                }
                return n;
            }, n -> "deleted " + n + " replica backup(s) in " + replica.uri());
        } catch (Steps.Failed e) {
            replicaProblems.add(e.getMessage());
        }
    }

    @Override
    protected RetentionReport report(String summary) {
        return new RetentionReport(run.workflowId, request.plan(), request.dryRun(), run.status.outcome(),
                run.startedAt,
                BackupWorkflowSupport.now(), decisions, deleted, run.steps.snapshot(), summary);
    }
}
