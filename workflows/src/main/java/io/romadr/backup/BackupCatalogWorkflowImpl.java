package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.RunFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

public class BackupCatalogWorkflowImpl implements BackupCatalogWorkflow {

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
            return new BackupCatalog(plan.name(), where, run.startedAt, entries);
        } catch (Steps.Failed e) {
            throw RunFailure.of(RunFailure.LIST_FAILED, e.getMessage(), null);
        }
    }
}
