package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.RunFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class BackupCatalogWorkflowImpl implements BackupCatalogWorkflow {
    /** Version 1: the listing carries each kind's measured RPO ({@link MeasuredRpo}). */
    static final String MEASURED_RPO = "catalog-measured-rpo";

    @Override
    public BackupCatalog list(CatalogRequest request) {
        BackupWorkflowSupport run = new BackupWorkflowSupport("backup-list", request.plan());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup:", b -> true);
            BackupSpec backup = plan.backup();
            List<BackupManifest> manifests = new ArrayList<>();
            for (BackupKind kind : request.kinds()) {
                manifests.addAll(run.steps.run("list-" + kind.id(),
                        () -> run.backups.listBackups(new ListBackupsRequest(kind.storeIn(backup), plan.name(), kind)),
                        l -> l.size() + " backup(s)"));
            }
            List<Promise<VerifyResult>> checks = new ArrayList<>();
            if (request.verify()) {
                for (BackupManifest m : manifests) {
                    checks.add(Async.function(run.backups::verifyBackup, new BackupRef(m.kind().storeIn(backup), m)));
                }
            }
            List<BackupCatalog.Entry> entries = new ArrayList<>();
            for (int i = 0; i < manifests.size(); i++) {
                entries.add(new BackupCatalog.Entry(manifests.get(i), request.verify() ? checks.get(i).get() : null));
            }
            // The secrets' own store, when the listing covers them, is named too: their keys are not in the main one.
            boolean ownSecretsStore = request.kinds().contains(BackupKind.SECRETS)
                    && !backup.secretsStore().equals(backup.store());
            String where = backup.store().uri() + (ownSecretsStore
                    ? " (secrets in " + backup.secretsStore().uri() + ")"
                    : "");
            List<BackupCatalog.MeasuredLag> measured = Workflow.getVersion(MEASURED_RPO, Workflow.DEFAULT_VERSION,
                    1) >= 1 ? measuredRpo(run, plan, request) : List.of();
            return new BackupCatalog(plan.name(), where, run.startedAt, entries, measured);
        } catch (Steps.Failed e) {
            throw RunFailure.of(RunFailure.LIST_FAILED, e.getMessage(), null);
        }
    }

    /**
     * The measured RPO of the kinds listed (git, images and logs with a listing of every kind); a lag that cannot
     * be read is that kind's UNKNOWN line, never a failed listing.
     */
    private static List<BackupCatalog.MeasuredLag> measuredRpo(BackupWorkflowSupport run, RecoveryPlan plan,
            CatalogRequest request) {
        boolean everyKind = request.kinds().containsAll(List.of(BackupKind.values()));
        List<BackupCatalog.MeasuredLag> lines = new ArrayList<>();
        long now = BackupWorkflowSupport.now();
        MeasuredRpo.targets(plan).forEach((kind, rpo) -> {
            BackupKind stored = MeasuredRpo.storedKind(kind);
            if (stored == null ? !everyKind : !request.kinds().contains(stored)) {
                return;
            }
            Duration limit = MeasuredRpo.limit(plan, rpo);
            try {
                LagSummary lag = MeasuredRpo.summary(run.steps, run.lags, plan, kind, now);
                lines.add(MeasuredRpo.catalogLine(kind, lag, rpo, limit));
            } catch (Steps.Failed e) {
                lines.add(new BackupCatalog.MeasuredLag(kind, null, rpo.toMillis(), limit.toMillis(), "UNKNOWN",
                        e.getMessage()));
            }
        });
        return lines;
    }
}
