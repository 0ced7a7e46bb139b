package io.romadr.backup;

import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.RunFailure;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class SecretsWatchWorkflowImpl implements SecretsWatchWorkflow {
    /** How long one watch polls; its hourly schedule starts the next one. */
    static final Duration SPAN = Duration.ofHours(1);
    static final int POLL_ATTEMPTS = 3;
    static final int LIST_ATTEMPTS = 5;
    static final int LAG_ATTEMPTS = 5;
    static final int RECENT_LAGS = 20;
    /** After a failed export the next try waits this long, doubling (the failed export told its failure). */
    static final Duration MAX_EXPORT_BACKOFF = Duration.ofMinutes(15);
    static final String LAG_KIND = "secrets";

    private final Steps steps = Steps.failingRunByActivityType(Map.of(PlanActivities.class, 1,
            SecretsActivities.class, POLL_ATTEMPTS, BackupActivities.class, LIST_ATTEMPTS,
            BackupLagActivities.class, LAG_ATTEMPTS));
    /** Metadata reads only: a short call, a few quick retries; a poll that still fails waits for the next one. */
    private final SecretsActivities secrets = steps.stub(SecretsActivities.class, Duration.ofMinutes(2), null,
            Retries.of(POLL_ATTEMPTS, Duration.ofSeconds(5)));
    private final BackupActivities backups = steps.stub(BackupActivities.class, Duration.ofMinutes(2), null,
            Retries.of(LIST_ATTEMPTS, Duration.ofSeconds(10)));
    private final BackupLagActivities lags = steps.stub(BackupLagActivities.class, Duration.ofMinutes(1), null,
            Retries.of(LAG_ATTEMPTS, Duration.ofSeconds(10)));
    private final String workflowId = Workflow.getInfo().getWorkflowId();
    private final long startedAt = Workflow.currentTimeMillis();
    private final List<String> children = new ArrayList<>();
    private final List<LagSample> recentLags = new ArrayList<>();
    private BackupRequest request;
    private long pollMillis;
    private int polls;
    private int failedPolls;
    private int changes;
    private int failedExports;
    private String summary = "";

    @Override
    public SecretsWatchReport watch(BackupRequest request) {
        this.request = request;
        RecoveryPlan plan;
        try {
            plan = steps.loadPlan(request.plan(), "backup.secrets", p -> p.backup() != null
                    && p.backup().secrets() != null);
        } catch (Steps.Failed e) {
            summary = "Secrets watch failed at " + e.getMessage();
            throw RunFailure.of(RunFailure.BACKUP_FAILED, summary, progress());
        }
        Duration interval = plan.backup().schedule().secretsPoll();
        pollMillis = interval.toMillis();
        Map<String, String> exported = newestExport(plan);
        long end = startedAt + SPAN.toMillis();
        long nextExportAt = 0;
        Duration backoff = interval;
        while (true) {
            SecretVersions current = poll(plan);
            if (current != null) {
                Map<String, SecretVersion> changed = changed(exported, current);
                long now = Workflow.currentTimeMillis();
                if (!changed.isEmpty() && now >= nextExportAt) {
                    BackupManifest manifest = export(changed);
                    if (manifest != null) {
                        record(plan, changed, exported, now, children.get(children.size() - 1));
                        exported = exportedVersions(current, manifest);
                        backoff = interval;
                        nextExportAt = 0;
                    } else {
                        nextExportAt = Workflow.currentTimeMillis() + backoff.toMillis();
                        backoff = backoff.multipliedBy(2).compareTo(MAX_EXPORT_BACKOFF) > 0
                                ? MAX_EXPORT_BACKOFF
                                : backoff.multipliedBy(2);
                    }
                } else if (changed.isEmpty()) {
                    summary = "poll " + polls + ": " + current.secrets().size() + " secret(s) unchanged";
                }
            }
            if (Workflow.currentTimeMillis() + pollMillis >= end) {
                break;
            }
            Workflow.sleep(interval);
        }
        return progress();
    }

    /**
     * The versions the newest export holds, name -> version; empty when there is none, it is from before versions
     * were recorded, or the store cannot be listed (then the first poll exports everything, the safe side).
     */
    private Map<String, String> newestExport(RecoveryPlan plan) {
        List<BackupManifest> all;
        try {
            all = backups.listBackups(new ListBackupsRequest(plan.backup().secretsStore(), plan.name(),
                    BackupKind.SECRETS));
        } catch (ActivityFailure e) {
            summary = "could not list the exports, exporting at the first poll: " + Steps.message(e);
            return Map.of();
        }
        return all.stream().max(Comparator.comparingLong(BackupManifest::createdAt))
                .map(BackupManifest::secretVersions).orElse(Map.of());
    }

    /** The sources' metadata; null when the poll failed (the next one tries again). */
    private SecretVersions poll(RecoveryPlan plan) {
        polls++;
        try {
            return secrets.secretVersions(new SecretVersionsRequest(plan.name(), plan.backup().secrets()));
        } catch (ActivityFailure e) {
            failedPolls++;
            summary = "poll " + polls + " failed: " + Steps.message(e);
            return null;
        }
    }

    /** The secrets whose current version is not the one exported, sorted by name. */
    static Map<String, SecretVersion> changed(Map<String, String> exported, SecretVersions current) {
        Map<String, SecretVersion> changed = new LinkedHashMap<>();
        current.secrets().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> !e.getValue().version().equals(exported.get(e.getKey())))
                .forEach(e -> changed.put(e.getKey(), e.getValue()));
        return changed;
    }

    /**
     * What is exported now: the versions the export read (its manifest), over the polled ones for any secret the
     * manifest does not name (an export by a worker from before versions were recorded names none).
     */
    static Map<String, String> exportedVersions(SecretVersions polled, BackupManifest manifest) {
        Map<String, String> versions = new HashMap<>();
        polled.secrets().forEach((name, v) -> versions.put(name, v.version()));
        versions.putAll(manifest.secretVersions());
        return versions;
    }

    /** The plan's full secrets export as a child workflow; its manifest, or null when it failed. */
    private BackupManifest export(Map<String, SecretVersion> changed) {
        // The watch's id is unique per scheduled start (the server appends the time): its exports are numbered in it.
        String child = workflowId + "-export-" + (children.size() + 1);
        children.add(child);
        changes += changed.size();
        try {
            BackupReport report = Workflow.newChildWorkflowStub(SecretsBackupWorkflow.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(child).build())
                    .backup(new BackupRequest(request.plan(), "secrets watch (" + changed.size() + " changed: "
                            + String.join(", ", changed.keySet()) + ")"));
            summary = "poll " + polls + ": " + changed.size() + " changed secret(s) exported by " + child + " to "
                    + report.manifest().objectKey();
            return report.manifest();
        } catch (ChildWorkflowFailure e) {
            failedExports++;
            summary = "poll " + polls + ": export " + child + " of " + changed.size() + " changed secret(s) failed: "
                    + Steps.message(e);
            return null;
        }
    }

    /**
     * One lag per changed secret that an earlier export held (a secret never exported before has no change to
     * measure): from its change in the source (the poll's time when the source did not say) to now, the export
     * committed. A lag that cannot be recorded costs only the measurement, never the export.
     */
    private void record(RecoveryPlan plan, Map<String, SecretVersion> changed, Map<String, String> exported,
            long polledAt, String exportId) {
        long committedAt = Workflow.currentTimeMillis();
        List<LagSample> samples = new ArrayList<>();
        changed.forEach((name, v) -> {
            if (exported.containsKey(name)) {
                long eventAt = v.changedAt() > 0 ? Math.min(v.changedAt(), committedAt) : polledAt;
                samples.add(new LagSample(name + "@" + v.version(), name, eventAt, committedAt, exportId));
            }
        });
        if (samples.isEmpty()) {
            return;
        }
        samples.forEach(s -> {
            recentLags.add(s);
            if (recentLags.size() > RECENT_LAGS) {
                recentLags.remove(0);
            }
        });
        try {
            // In the secrets' own store, beside their exports: the samples name the secrets.
            lags.recordLag(new RecordLagRequest(plan.backup().secretsStore(), plan.name(), LAG_KIND, samples));
        } catch (ActivityFailure e) {
            summary = summary + "; lag not recorded: " + Steps.message(e);
        }
    }

    @Override
    public SecretsWatchReport progress() {
        return new SecretsWatchReport(workflowId, request == null ? "" : request.plan(), startedAt, pollMillis, polls,
                failedPolls, changes, children.size() - failedExports, failedExports, children, recentLags,
                summary);
    }
}
