package io.romadr.backup;

import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.notify.NotifyEvent;
import io.romadr.runtime.Notifier;
import io.romadr.runtime.Retries;
import io.romadr.runtime.RunStatus;
import io.romadr.runtime.Steps;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the backup, restore and retention workflows share beyond the step runner: their activity stubs with their
 * timeouts, and search attributes. Workflow-side code: deterministic, no I/O.
 */
final class BackupWorkflowSupport {
    static final int BACKUP_ATTEMPTS = 10;
    static final int SECRETS_ATTEMPTS = 5;
    static final int GIT_ATTEMPTS = 4;
    static final int GIT_RECORD_ATTEMPTS = 5;
    static final int IMAGE_ATTEMPTS = 4;
    static final int TEST_RESTORE_ATTEMPTS = 3;
    /** A restore's wait for the service's health ({@link BackupRestoreWorkflowImpl}). */
    static final int SERVICE_ATTEMPTS = 3;
    static final int AUDIT_ATTEMPTS = 3;
    static final int LAG_ATTEMPTS = 3;

    /**
     * The step runner: a failed step fails the run. maximumAttempts of each stub by activity interface, what a call
     * that ran out of its attempts took. (Plans: in version 1 the plan is loaded with one attempt per call.)
     */
    final Steps steps = Steps.failingRunByActivityType(Map.of(
            PlanActivities.class, 1, BackupActivities.class, BACKUP_ATTEMPTS, SecretsActivities.class, SECRETS_ATTEMPTS,
            GitMirrorActivities.class, GIT_ATTEMPTS, GitMirrorRecordActivities.class, GIT_RECORD_ATTEMPTS,
            ImageMirrorActivities.class, IMAGE_ATTEMPTS, TestRestoreActivities.class, TEST_RESTORE_ATTEMPTS,
            ServiceActivities.class, SERVICE_ATTEMPTS, AccessAuditActivities.class, AUDIT_ATTEMPTS,
            BackupLagActivities.class, LAG_ATTEMPTS));

    /**
     * Snapshots and restores stream gigabytes: a long start-to-close, but a short heartbeat timeout, so a dead
     * worker is noticed within 15 s and the retry (resuming the upload where the store allows) starts elsewhere.
     */
    final BackupActivities backups = steps.stub(BackupActivities.class, Duration.ofHours(6),
            Duration.ofSeconds(15), Retries.of(BACKUP_ATTEMPTS, Duration.ofMinutes(1)));

    final SecretsActivities secrets = steps.stub(SecretsActivities.class, Duration.ofMinutes(10),
            Duration.ofSeconds(30), Retries.of(SECRETS_ATTEMPTS, Duration.ofSeconds(30)));

    /** Git fetches and pushes can be large: heartbeats every few seconds, a few retries per remote. */
    final GitMirrorActivities git = steps.stub(GitMirrorActivities.class, Duration.ofHours(2),
            Duration.ofSeconds(60), Retries.of(GIT_ATTEMPTS, Duration.ofSeconds(30)));

    final GitMirrorRecordActivities gitRecords = steps.stub(GitMirrorRecordActivities.class, Duration.ofMinutes(2),
            null, Retries.of(GIT_RECORD_ATTEMPTS, Duration.ofSeconds(10)));

    final ImageMirrorActivities images = steps.stub(ImageMirrorActivities.class, Duration.ofHours(2),
            Duration.ofSeconds(60), Retries.of(IMAGE_ATTEMPTS, Duration.ofSeconds(30)));

    /** A test restore reads the whole snapshot and waits for health: long, heartbeating; a failed check is a result. */
    final TestRestoreActivities testRestores = steps.stub(TestRestoreActivities.class, Duration.ofHours(2),
            Duration.ofSeconds(60), Retries.of(TEST_RESTORE_ATTEMPTS, Duration.ofSeconds(30)));
    /** The access audit only reads settings: short calls, a few retries. */
    final AccessAuditActivities audits = steps.stub(AccessAuditActivities.class, Duration.ofMinutes(2), null,
            Retries.of(AUDIT_ATTEMPTS, Duration.ofSeconds(10)));
    /** The measured lags only read a small file and list manifests: short calls, a few retries. */
    final BackupLagActivities lags = steps.stub(BackupLagActivities.class, Duration.ofMinutes(2), null,
            Retries.of(LAG_ATTEMPTS, Duration.ofSeconds(10)));
    final String workflowId = Workflow.getInfo().getWorkflowId();
    final long startedAt = Workflow.currentTimeMillis();
    final RunStatus status = new RunStatus();
    /** Tells the plan's contacts; routes nothing before the plan is loaded, nor for a plan without routes. */
    final Notifier notifier = new Notifier(steps, workflowId, startedAt);
    /** The backup kind whose failure this run tells (backup-failed) and whose success resolves it; null: none. */
    private String backupKind;
    private Long finishedAt;
    private final String plan;
    /** What the run tells when it ends (after the outcome is recorded, before the report); see {@link #finish}. */
    private BiConsumer<Outcome, String> tell = (outcome, summary) -> {
    };

    BackupWorkflowSupport(String scenario, String plan) {
        this.plan = plan == null ? "" : plan;
        status.start(scenario, plan, false);
    }

    /**
     * This run is a backup of {@code kind} (state, artifacts, secrets, git, images): its failure opens backup-failed
     * under {@code backup/<plan>/<kind>}, which its next success resolves.
     */
    BackupWorkflowSupport notifyAsBackup(String kind) {
        backupKind = kind;
        notifier.about("backup", kind);
        tell = this::tellBackup;
        return this;
    }

    /** This run tells {@code tell} (outcome, summary) when it ends; see {@link #finish}. */
    void tellAtEnd(String kind, BiConsumer<Outcome, String> tell) {
        notifier.about(kind, "");
        this.tell = tell;
    }

    /** The key a failed backup of {@code kind} opens and the next good one resolves. */
    static String backupKey(String plan, String kind) {
        return "backup/" + plan + "/" + kind;
    }

    /** Ends the run as {@code result}, then returns the report {@code report} makes of {@code summary} (showing it). */
    <R> R finish(Outcome result, Function<String, R> report, String summary) {
        status.finish(result);
        finishedAt = now();
        tell.accept(result, summary);
        // Bounded, so the report lists the deliveries; a down channel cannot hold a finished run.
        notifier.drain(Notifier.DRAIN);
        return report.apply(summary);
    }

    /**
     * A failed backup opens backup-failed; a good one resolves it (for the previous run of a schedule that failed,
     * on every channel; otherwise on the channels that deduplicate, which ignore it when nothing is open).
     */
    private void tellBackup(Outcome result, String summary) {
        String key = backupKey(plan, backupKind);
        if (result == Outcome.RECOVERED) {
            notifier.resolveEarlier(NotifyEvent.BACKUP_FAILED, key, "roma-dr: " + backupKind + " backup of plan "
                    + plan + " succeeded again", summary, Workflow.getPreviousRunFailure().isPresent());
        } else {
            notifier.send(NotifyEvent.BACKUP_FAILED, key, "roma-dr: " + backupKind + " backup of plan "
                    + plan + " FAILED", summary,
                    "Look at the report (roma-dr report " + workflowId
                            + ") and run the backup again.");
        }
    }

    /** A report's finishedAt: the run's end once finished (the wait for notifications is not counted), else now. */
    long reportTime() {
        return finishedAt != null ? finishedAt : now();
    }

    /** Ends the run FAILED; returns the failure of {@code type} carrying its report, for the workflow to throw. */
    ApplicationFailure failed(String type, Function<String, ?> report, String summary) {
        return RunFailure.of(type, summary, finish(Outcome.FAILED, report, summary));
    }

    /** A mirror run fails when any target is not {@code ok}: "2 of 3 {@code what}: problem; problem". */
    <T> void failIfAnyBad(List<T> results, Predicate<T> ok, Function<T, String> problem, String what,
            Function<String, ?> report) {
        List<T> bad = results.stream().filter(ok.negate()).toList();
        if (!bad.isEmpty()) {
            throw failed(RunFailure.BACKUP_FAILED, report, bad.size() + " of " + results.size() + " " + what + ": "
                    + String.join("; ", bad.stream().map(problem).toList()));
        }
    }

    /** Short, replay-stable id of this run for object keys: two runs never write the same key. */
    String runId() {
        return Workflow.getInfo().getRunId().replace("-", "").substring(0, 8);
    }

    /**
     * Reads the stored {@code manifest} back from {@code store} (step "verify"); one that does not read back fails the
     * run with "the stored {@code what} does not read back".
     */
    VerifyResult verifyStored(BackupStore store, BackupManifest manifest, String what) {
        VerifyResult verification = steps.check("verify", () -> backups.verifyBackup(new BackupRef(store, manifest)),
                ArchiveBackupRun::describe, VerifyResult::ok);
        if (!verification.ok()) {
            throw new Steps.Failed("verify: the stored " + what + " does not read back: " + verification.problem());
        }
        return verification;
    }

    /** Version 1: a backup is copied to the plan's replica store after its read-back (older runs replay without). */
    static final String REPLICATE = "backup-replicate";

    /**
     * Copies the verified backup {@code manifest} to the plan's replica (step "replicate") and reads the copy back
     * (step "verify-replica"); null when the plan has no replica (or in a run from before replication). A replica
     * that fails does NOT fail the run, whose primary backup is good: it is a FAILED step, a line in the report and
     * summary, and a backup-failed notice under {@code backup/<plan>/<kind>-replica} (which the next good replication
     * resolves); the weekly verification's replica rows keep showing it until it is fixed.
     */
    ReplicaResult replicate(BackupSpec backup, BackupManifest manifest) {
        if (backup.replica() == null || Workflow.getVersion(REPLICATE, Workflow.DEFAULT_VERSION, 1) < 1) {
            return null;
        }
        BackupStore replica = backup.replica().store();
        ReplicaResult result;
        try {
            ReplicaCopy copy = steps.run("replicate", () -> backups.replicateBackup(new ReplicateRequest(
                    manifest.kind().storeIn(backup), replica, manifest)),
                    c -> (c.copied() ? "copied " : "already there: ")
                            + c.objectKey() + " to " + replica.uri() + " (" + replica.region() + ")");
            VerifyResult v = steps.check("verify-replica", () -> backups.verifyBackup(new BackupRef(replica,
                    manifest)), ArchiveBackupRun::describe, VerifyResult::ok);
            result = new ReplicaResult(replica.uri(), replica.region(), manifest.objectKey(), v.ok(), copy.copied(),
                    v.ok() ? v.actualSha256() : null, v.ok() ? null : "the copy does not read back: " + v.problem());
        } catch (Steps.Failed e) {
            result = new ReplicaResult(replica.uri(), replica.region(), manifest.objectKey(), false, false, null,
                    e.getMessage());
        }
        String key = backupKey(plan, manifest.kind().id() + "-replica");
        String title = "roma-dr: " + manifest.kind().id() + " backup of plan " + plan;
        if (result.ok()) {
            notifier.resolveEarlier(NotifyEvent.BACKUP_FAILED, key, title + " is replicated again", result.describe(),
                    false);
        } else {
            notifier.send(NotifyEvent.BACKUP_FAILED, key, title + " was NOT replicated to the failover region",
                    result.describe(), "The primary backup is good. Check the replica store " + replica.uri()
                            + " (credentials, bucket, region) and run the backup again; roma-dr report "
                            + workflowId);
        }
        return result;
    }

    /** The summary of a backup run: {@code done}, then what happened to its replica (if any). */
    static String withReplica(String done, ReplicaResult replica) {
        return replica == null
                ? done
                : done + (replica.ok() ? " " : " WARNING: ") + capitalized(replica.describe())
                        + ".";
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static long now() {
        return Workflow.currentTimeMillis();
    }

    RecoveryPlan loadPlan(String name) {
        RecoveryPlan loaded = steps.loadPlan(name);
        notifier.plan(loaded, 0);
        return loaded;
    }

    /**
     * Loads the plan (from here on the run can notify); one without its {@code section} of {@code backup:} fails the
     * run at plan-check.
     */
    RecoveryPlan loadPlan(String name, String section, Predicate<BackupSpec> present) {
        RecoveryPlan loaded = loadPlan(name);
        if (loaded.backup() == null || !present.test(loaded.backup())) {
            steps.fail("plan-check", "plan \"" + loaded.name() + "\" has no " + section + " section");
        }
        return loaded;
    }
}
