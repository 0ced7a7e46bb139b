package io.romadr.backup;

import io.romadr.plan.BackupStore;
import io.romadr.plan.LogBackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.ServiceContainer;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class LogShippingWorkflowImpl extends BackupWorkflowBase<LogShippingReport> implements LogShippingWorkflow {
    /**
     * The cut-off is this much before the run's start: Docker stamps a line when it receives it, so by then every
     * line stamped at or before the cut-off is in the container's log and the next run never finds a late one.
     */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);
    static final int SHIP_ATTEMPTS = 10;
    static final int STORE_ATTEMPTS = 5;

    private final List<LogShipment> shipments = new ArrayList<>();
    private final List<LagSample> samples = new ArrayList<>();
    private LogShippingActivities shipping;
    private LogShippingActivities store;
    private BackupLagActivities lags;
    private BackupRequest request;
    private long cutoff;
    private int pruned;

    @Override
    public LogShippingReport ship(BackupRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-logs", request.plan()).notifyAsBackup("logs");
        // A big log is read for minutes, heartbeating every second: a dead worker is noticed within 15 s.
        shipping = run.steps.stub(LogShippingActivities.class, Duration.ofHours(1), Duration.ofSeconds(15),
                Retries.of(SHIP_ATTEMPTS, Duration.ofSeconds(10)));
        store = run.steps.stub(LogShippingActivities.class, Duration.ofMinutes(2), null,
                Retries.of(STORE_ATTEMPTS, Duration.ofSeconds(10)));
        lags = run.steps.stub(BackupLagActivities.class, Duration.ofMinutes(1), null,
                Retries.of(STORE_ATTEMPTS, Duration.ofSeconds(10)));
        RecoveryPlan plan;
        List<String> services;
        try {
            plan = run.loadPlan(request.plan(), "backup.logs", b -> b.logs() != null);
            services = services(plan);
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.BACKUP_FAILED, this::report, "Log shipping failed at " + e.getMessage());
        }
        LogBackupSpec logs = plan.backup().logs();
        BackupStore backupStore = plan.backup().store();
        cutoff = BackupWorkflowSupport.now() - SAFETY_MARGIN.toMillis();
        for (String service : services) {
            shipments.add(shipOne(plan, backupStore, logs, service));
        }
        recordLags(backupStore);
        prune(backupStore, logs, services);
        run.failIfAnyBad(shipments, LogShipment::ok, s -> s.service() + ": " + s.problem(),
                "service(s) not shipped", this::report);
        long lines = shipments.stream().mapToLong(LogShipment::lines).sum();
        return run.finish(Outcome.RECOVERED, this::report, "Shipped " + lines + " log line(s) of "
                + shipments.size() + " service(s) up to " + LogKeys.stamp(cutoff) + (pruned == 0
                        ? "."
                        : "; deleted " + pruned + " object(s) past the " + logs.retention().toDays()
                                + "-day retention."));
    }

    /** The plan's services to ship: {@code backup.logs.services}, or every service; an unknown one fails the run. */
    private List<String> services(RecoveryPlan plan) {
        List<String> known = plan.service().containers().stream().map(ServiceContainer::service).toList();
        List<String> wanted = plan.backup().logs().services();
        for (String s : wanted) {
            if (!known.contains(s)) {
                run.steps.fail("plan-check", "backup.logs.services names \"" + s + "\", which is not a service of "
                        + "the plan " + known);
            }
        }
        return wanted.isEmpty() ? known : wanted;
    }

    /**
     * Ships {@code service} from where its shipped logs end (the first run: {@code backfill} before the cut-off)
     * to the cut-off. A service that fails is a row with its problem; the others are still shipped.
     */
    private LogShipment shipOne(RecoveryPlan plan, BackupStore backupStore, LogBackupSpec logs, String service) {
        try {
            LogCutoff last = run.steps.run("cutoff-" + service, STORE_ATTEMPTS,
                    () -> store.lastLogCutoff(new LogCutoffRequest(backupStore, plan.name(), service)),
                    c -> c.none() ? "nothing shipped yet" : "shipped up to " + LogKeys.stamp(c.cutoff()));
            long from = last.none() ? cutoff - logs.backfill().toMillis() : last.cutoff();
            if (from >= cutoff) {
                return new LogShipment(service, from, from, last.objectKey(), 0, 0, true, "");
            }
            ShippedLogs shipped = run.steps.run("ship-" + service, SHIP_ATTEMPTS,
                    () -> shipping.shipLogs(new ShipLogsRequest(backupStore, plan.name(),
                            plan.service().composeProject(), service, from, cutoff, run.workflowId)),
                    s -> s.manifest().lines() + " line(s) " + (s.found() ? "already in " : "in ")
                            + s.manifest().objectKey(),
                    ShippedLogs::attempt);
            LogManifest m = shipped.manifest();
            if (!last.none()) {
                // What a loss just before this run would have lost: the lines since the previous cut-off.
                samples.add(new LagSample(service + "@" + cutoff, "logs " + service, from,
                        BackupWorkflowSupport.now(), run.workflowId));
            }
            return new LogShipment(service, from, cutoff, m.objectKey(), m.lines(),
                    m.sizeBytes(), shipped.found(), "");
        } catch (Steps.Failed e) {
            return new LogShipment(service, 0, cutoff, "", 0, 0, false, e.getMessage());
        }
    }

    /** A lag that cannot be recorded costs only the measurement, never the shipped logs. */
    private void recordLags(BackupStore backupStore) {
        if (samples.isEmpty()) {
            return;
        }
        try {
            run.steps.run("record-lag", STORE_ATTEMPTS, () -> {
                lags.recordLag(new RecordLagRequest(backupStore, request.plan(), "logs", List.copyOf(samples)));
                return samples.size();
            }, n -> n + " lag sample(s) in " + LagHistory.key(request.plan(), "logs"));
        } catch (Steps.Failed e) {
            // Recorded as a failed step in the report.
        }
    }

    /** Objects past retention; a prune that fails is retried by the next run and does not fail this one. */
    private void prune(BackupStore backupStore, LogBackupSpec logs, List<String> services) {
        long endedBefore = cutoff - logs.retention().toMillis();
        try {
            PrunedLogs p = run.steps.run("prune", STORE_ATTEMPTS, () -> store.pruneLogs(new PruneLogsRequest(
                    backupStore, request.plan(), services, endedBefore)),
                    r -> r.objects() + " object(s) ended before " + LogKeys.stamp(endedBefore) + " deleted");
            pruned = p.objects();
        } catch (Steps.Failed e) {
            // Recorded as a failed step in the report.
        }
    }

    @Override
    protected LogShippingReport report(String summary) {
        return new LogShippingReport(run.workflowId, request.plan(), request.requestedBy(), run.status.outcome(),
                run.startedAt, run.reportTime(), cutoff, shipments, pruned, run.steps.snapshot(), summary);
    }
}
