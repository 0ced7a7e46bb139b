package io.romadr.worker.host;

import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupLagActivities;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.MeasuredRpo;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every plan's backup store the way {@code roma-dr backups list} does (the worker's own
 * {@link BackupActivities#listBackups}, called directly: it only reads the store, nothing needs an activity context)
 * and publishes, per plan and kind the plan backs up, the newest manifest's time and size and the plan's RPO for the
 * kind. So the last success survives a worker restart and counts backups any worker made. A store that cannot be
 * read keeps the values last read (the age keeps growing, so a store that stays unreadable ends as a stale backup)
 * and counts {@code romadr_collector_errors_total{collector="backups"}}.
 *
 * <p>The RPO per kind: state is the plan's {@code rpo.executionState}, artifacts {@code rpo.artifacts}; secrets have
 * no RPO in the seed's table, so the verification's {@code secretsMaxAge} (2 days by default) stands for it. Git
 * ({@code rpo.sourceCode}), images ({@code rpo.containerImages}) and logs ({@code backup.schedule.logs}) have an RPO
 * and a measured lag but no stored manifest ({@link MeasuredRpo}).
 *
 * <p>The measured lag of every kind ({@link BackupLagActivities#lagSummary}, over the last week), with the limit it
 * is held to, when the worker has the lag activities.
 */
public final class BackupStatusCollector implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(BackupStatusCollector.class);

    private final PlanRepository plans;
    private final BackupActivities backups;
    private final RomaMetrics metrics;

    private final BackupLagActivities lags;

    public BackupStatusCollector(PlanRepository plans, BackupActivities backups, RomaMetrics metrics) {
        this.plans = plans;
        this.backups = backups;
        this.metrics = metrics;
        // The production backup activities measure the lags too; a worker without them publishes no lag.
        this.lags = backups instanceof BackupLagActivities l ? l : null;
    }

    @Override
    public void run() {
        for (String name : plans.names()) {
            RecoveryPlan plan;
            try {
                plan = plans.load(name);
            } catch (RuntimeException e) {
                failed("loading plan " + name, e);
                continue;
            }
            if (plan.backup() == null) {
                continue;
            }
            measuredLags(plan);
            rpos(plan).forEach((kind, rpo) -> {
                String id = kind.id();
                metrics.backupRpo(plan.name(), id, rpo);
                metrics.backupFailures(plan.name(), id);
                try {
                    List<BackupManifest> found = backups.listBackups(
                            new ListBackupsRequest(kind.storeIn(plan.backup()), plan.name(), kind));
                    if (!found.isEmpty()) {
                        BackupManifest newest = found.get(found.size() - 1); // listed oldest first
                        metrics.backupStored(plan.name(), id, newest.createdAt(), newest.sizeBytes());
                    }
                } catch (RuntimeException e) {
                    failed("listing " + id + " backups of " + plan.name(), e);
                }
            });
        }
    }

    /** Every kind's RPO and, with the lag activities, its measured lag over the last week. */
    private void measuredLags(RecoveryPlan plan) {
        long now = System.currentTimeMillis();
        MeasuredRpo.targets(plan).forEach((kind, rpo) -> {
            if (MeasuredRpo.storedKind(kind) == null) {
                metrics.backupRpo(plan.name(), kind, rpo); // the stored kinds' RPO is published below, as before
            }
            if (lags == null) {
                return;
            }
            try {
                metrics.backupLag(plan.name(), kind, lags.lagSummary(MeasuredRpo.request(plan, kind, now)),
                        MeasuredRpo.limit(plan, rpo));
            } catch (RuntimeException e) {
                failed("measuring the " + kind + " lag of " + plan.name(), e);
            }
        });
    }

    /** The kinds the plan backs up to its store, each with the age its newest backup may have. */
    static Map<BackupKind, Duration> rpos(RecoveryPlan plan) {
        BackupSpec backup = plan.backup();
        Map<BackupKind, Duration> rpos = new LinkedHashMap<>();
        if (backup.state() != null) {
            rpos.put(BackupKind.STATE, plan.rpo().executionState());
        }
        if (backup.artifacts() != null) {
            rpos.put(BackupKind.ARTIFACTS, plan.rpo().artifacts());
        }
        if (backup.secrets() != null) {
            rpos.put(BackupKind.SECRETS, backup.verification().secretsMaxAge());
        }
        return rpos;
    }

    private void failed(String what, RuntimeException e) {
        metrics.collectorError("backups");
        log.warn("backup status: {} failed: {}", what, e.getMessage());
    }
}
