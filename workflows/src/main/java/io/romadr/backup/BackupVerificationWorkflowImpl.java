package io.romadr.backup;

import io.romadr.notify.NotifyEvent;
import io.romadr.runtime.Steps;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.VerificationSpec;
import io.romadr.report.Outcome;
import io.romadr.report.ReportFormatter;
import io.romadr.report.RunFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

public class BackupVerificationWorkflowImpl extends BackupWorkflowBase<VerificationReport>
        implements BackupVerificationWorkflow {
    private VerificationRequest request;
    private final List<VerificationRow> rows = new ArrayList<>();
    static final String MIRRORS_AND_TEST_RESTORE = "verification-mirrors-and-test-restore";
    static final String FAIL_WHEN_NOT_OK = "verification-fails-when-not-ok";
    private boolean withMirrorsAndTestRestore;
    /** Version 1: rows for the replica in the failover region (older histories replay without them). */
    static final String REPLICA_ROWS = "verification-replica";
    private boolean withReplica;
    /** Version 1: an "rpo" row per kind, its measured lag over the last week against the plan's RPO. */
    static final String MEASURED_RPO_ROWS = "verification-measured-rpo";

    @Override
    public VerificationReport verify(VerificationRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-verification", request.plan());
        run.tellAtEnd("verification", (outcome, summary) -> tellRows());
        // Version 1 added the git and image rows and the test restore; older histories replay without them.
        withMirrorsAndTestRestore = Workflow.getVersion(MIRRORS_AND_TEST_RESTORE, Workflow.DEFAULT_VERSION, 1) >= 1;
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup:", b -> true);
            BackupSpec backup = plan.backup();
            VerificationSpec limits = backup.verification();
            withReplica = (backup.replica() != null || plan.regions() != null)
                    && Workflow.getVersion(REPLICA_ROWS, Workflow.DEFAULT_VERSION, 1) >= 1;
            if (backup.state() != null) {
                verifyKindAndReplica(plan, backup, BackupKind.STATE, limits.stateMaxAge());
            }
            if (backup.artifacts() != null) {
                verifyKindAndReplica(plan, backup, BackupKind.ARTIFACTS, limits.artifactsMaxAge());
            }
            if (backup.secrets() != null) {
                verifyKindAndReplica(plan, backup, BackupKind.SECRETS, limits.secretsMaxAge());
            }
            if (withMirrorsAndTestRestore) {
                if (backup.git() != null) {
                    verifyGit(plan.name(), backup.git(), limits);
                }
                if (backup.images() != null) {
                    verifyImages(plan.name(), backup.images());
                }
            }
            if (withReplica && plan.regions() != null) {
                verifyMirrorsInFailoverRegion(backup, plan.regions().failover());
            }
            if (Workflow.getVersion(MEASURED_RPO_ROWS, Workflow.DEFAULT_VERSION, 1) >= 1) {
                verifyMeasuredRpo(plan);
            }
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.VERIFICATION_FAILED, this::report,
                    "Verification could not run: " + e.getMessage());
        }
        VerificationReport done = report("");
        long bad = rows.stream().filter(r -> r.status() != VerificationStatus.OK).count();
        VerificationReport verified = run.finish(done.allOk() ? Outcome.RECOVERED : Outcome.FAILED, this::report,
                bad == 0
                        ? "All " + rows.size() + " checks OK."
                        : bad + " of " + rows.size() + " checks NOT OK: " + String.join("; ", rows.stream()
                                .filter(r -> r.status() != VerificationStatus.OK)
                                .map(r -> r.kind() + " " + r.check() + " " + r.status()).toList()) + ".");
        // Version 1: a NOT OK row is a FAILED execution carrying the report; before it, the run completed.
        if (bad > 0 && Workflow.getVersion(FAIL_WHEN_NOT_OK, Workflow.DEFAULT_VERSION, 1) >= 1) {
            throw RunFailure.of(RunFailure.VERIFICATION_FAILED, verified.summary(), verified);
        }
        return verified;
    }

    private void verifyKindAndReplica(RecoveryPlan plan, BackupSpec backup, BackupKind kind, Duration maxAge) {
        BackupManifest newest = verifyKind(plan, backup, kind, maxAge);
        if (withReplica && backup.replica() != null) {
            verifyReplica(plan, backup.replica().store(), kind, maxAge, newest);
        }
    }

    /** The primary store's rows of {@code kind}; returns its newest backup, null when there is none. */
    private BackupManifest verifyKind(RecoveryPlan plan, BackupSpec backup, BackupKind kind, Duration maxAge) {
        List<BackupManifest> manifests = run.steps.run("list-" + kind.id(),
                () -> run.backups.listBackups(new ListBackupsRequest(kind.storeIn(backup), plan.name(), kind)),
                l -> l.size() + " backup(s)");
        if (manifests.isEmpty()) {
            rows.add(new VerificationRow(kind.id(), "freshness", VerificationStatus.MISSING,
                    "no " + kind.id() + " backup in " + kind.storeIn(backup).uri()));
            return null;
        }
        BackupManifest newest = manifests.stream().max(Comparator.comparingLong(BackupManifest::createdAt))
                .orElseThrow();
        long age = BackupWorkflowSupport.now() - newest.createdAt();
        rows.add(new VerificationRow(kind.id(), "freshness",
                age <= maxAge.toMillis() ? VerificationStatus.OK : VerificationStatus.STALE,
                "newest " + newest.objectKey() + " is " + ReportFormatter.age(age) + " old (max "
                        + ReportFormatter.age(maxAge.toMillis()) + ")"));
        VerifyResult integrity = run.steps.check("verify-" + kind.id(),
                () -> run.backups.verifyBackup(new BackupRef(kind.storeIn(backup), newest)),
                r -> newest.objectKey() + ": " + ArchiveBackupRun.describe(r), VerifyResult::ok);
        rows.add(row(kind, "integrity", integrity));
        if (kind == BackupKind.STATE && integrity.ok() && withMirrorsAndTestRestore) {
            testRestore(plan, backup, newest);
        }
        if (kind == BackupKind.SECRETS && integrity.ok()) {
            VerifyResult decrypt = run.steps.check("decrypt-" + kind.id(),
                    () -> run.secrets
                            .checkSecrets(new SecretsRestoreRequest(backup.secretsStore(), backup.secrets(), newest,
                                    "")),
                    r -> newest.objectKey() + ": " + (r.ok() ? "decrypts" : r.problem()), VerifyResult::ok);
            rows.add(row(kind, "decrypt", decrypt));
        }
        return newest;
    }

    /**
     * The replica in the failover region: "replica freshness" (its newest backup of {@code kind} within the same
     * maximum age) and "replica integrity" (the primary's newest backup is in the replica, read back with the
     * primary's SHA-256: a missing copy is MISSING, other bytes CORRUPT). A replica that cannot be read is MISSING.
     */
    private void verifyReplica(RecoveryPlan plan, BackupStore replica, BackupKind kind, Duration maxAge,
            BackupManifest newestPrimary) {
        String where = replica.uri() + " (" + replica.region() + ")";
        List<BackupManifest> copies;
        try {
            copies = run.steps.run("list-" + kind.id() + "-replica",
                    () -> run.backups.listBackups(new ListBackupsRequest(replica, plan.name(), kind)),
                    l -> l.size() + " backup(s) in " + where);
        } catch (Steps.Failed e) {
            rows.add(new VerificationRow(kind.id(), "replica freshness", VerificationStatus.MISSING,
                    "could not list " + where + ": " + e.getMessage()));
            return;
        }
        if (copies.isEmpty()) {
            rows.add(new VerificationRow(kind.id(), "replica freshness", VerificationStatus.MISSING,
                    "no " + kind.id() + " backup in the replica " + where));
        } else {
            BackupManifest newest = copies.stream().max(Comparator.comparingLong(BackupManifest::createdAt))
                    .orElseThrow();
            long age = BackupWorkflowSupport.now() - newest.createdAt();
            rows.add(new VerificationRow(kind.id(), "replica freshness",
                    age <= maxAge.toMillis() ? VerificationStatus.OK : VerificationStatus.STALE,
                    "newest " + newest.objectKey() + " in " + where + " is " + ReportFormatter.age(age) + " old (max "
                            + ReportFormatter.age(maxAge.toMillis()) + ")"));
        }
        if (newestPrimary == null) {
            return; // the primary's freshness row already says there is nothing to compare with
        }
        try {
            VerifyResult copy = run.steps.check("verify-" + kind.id() + "-replica",
                    () -> run.backups.verifyBackup(new BackupRef(replica, newestPrimary)),
                    r -> newestPrimary.objectKey() + " in " + where + ": " + ArchiveBackupRun.describe(r),
                    VerifyResult::ok);
            VerificationRow r = row(kind, "replica integrity", copy);
            rows.add(new VerificationRow(r.kind(), r.check(), r.status(), where + ": " + (copy.ok()
                    ? newestPrimary.objectKey() + ": sha256 "
                            + copy.actualSha256().substring(0, Math.min(12, copy.actualSha256().length()))
                            + " equals the primary's"
                    : r.evidence())));
        } catch (Steps.Failed e) {
            rows.add(new VerificationRow(kind.id(), "replica integrity", VerificationStatus.MISSING,
                    "could not read " + where + ": " + e.getMessage()));
        }
    }

    /**
     * The git and image backups that survive a region outage: a git backup remote and the backup registry whose
     * {@code region:} is the failover region (their refs and tags are checked by the rows above, like the others).
     * None there is a MISSING row: Scenario 3 in the failover region would have no source code or images.
     */
    private void verifyMirrorsInFailoverRegion(BackupSpec backup, String failover) {
        if (backup.git() != null) {
            List<String> there = backup.git().backups().stream().filter(r -> failover.equals(r.region()))
                    .map(GitRemote::name).toList();
            rows.add(new VerificationRow("git", "replica " + failover,
                    there.isEmpty() ? VerificationStatus.MISSING : VerificationStatus.OK,
                    there.isEmpty()
                            ? "no git backup remote has region: " + failover + " (the failover region)"
                            : "backup remote(s) " + String.join(", ", there) + " in " + failover
                                    + " (their freshness rows above)"));
        }
        if (backup.images() != null) {
            boolean there = failover.equals(backup.images().backup().region());
            rows.add(new VerificationRow("images", "replica " + failover,
                    there ? VerificationStatus.OK : VerificationStatus.MISSING,
                    there
                            ? "backup registry " + backup.images().backup().url() + " in " + failover
                                    + " (its rows above)"
                            : "the backup registry " + backup.images().backup().url() + " has no region: "
                                    + failover + " (the failover region)"));
        }
    }

    /**
     * One "rpo" row per kind the plan backs up: the maximum measured lag of the last week (events, or the intervals
     * between scheduled backups; {@link MeasuredRpo}) within the plan's RPO plus its slack. A lag that cannot be
     * read is MISSING: it costs this row only.
     */
    private void verifyMeasuredRpo(RecoveryPlan plan) {
        long now = BackupWorkflowSupport.now();
        MeasuredRpo.targets(plan).forEach((kind, rpo) -> {
            try {
                LagSummary lag = MeasuredRpo.summary(run.steps, run.lags, plan, kind, now);
                rows.add(MeasuredRpo.row(kind, lag, rpo, MeasuredRpo.limit(plan, rpo)));
            } catch (Steps.Failed e) {
                rows.add(new VerificationRow(kind, "rpo", VerificationStatus.MISSING,
                        "could not read the measured lag: " + e.getMessage()));
            }
        });
    }

    /**
     * The seed's "test restore": the newest snapshot (already proven intact) started in a throwaway container and
     * checked with the plan's health checks. Skipped when integrity failed: that row already says why.
     */
    private void testRestore(RecoveryPlan plan, BackupSpec backup, BackupManifest newest) {
        TestRestoreRequest sandbox = new TestRestoreRequest(backup.store(), newest, plan.service().composeProject(),
                backup.state().service(), backup.state().path(), plan.service().healthChecks(),
                plan.recovery().waitHealthy(), plan.recovery().pollInterval(),
                "roma-dr-sandbox-" + plan.name() + "-" + run.runId());
        try {
            TestRestoreResult r = run.steps.check("test-restore-state", () -> run.testRestores.testRestore(sandbox),
                    t -> (t.ok() ? "healthy in " + ReportFormatter.age(t.restoreMillis()) : t.problem()),
                    TestRestoreResult::ok);
            rows.add(new VerificationRow(BackupKind.STATE.id(), "test-restore",
                    r.ok() ? VerificationStatus.OK : VerificationStatus.CORRUPT,
                    newest.objectKey() + " in sandbox " + r.sandbox() + ": " + (r.ok() ? "healthy" : r.problem())
                            + (r.checks().isEmpty() ? "" : " [" + String.join("; ", r.checks()) + "]")));
        } catch (Steps.Failed e) {
            rows.add(new VerificationRow(BackupKind.STATE.id(), "test-restore", VerificationStatus.MISSING,
                    "could not run: " + e.getMessage()));
        }
    }

    /** One check per backup remote; a remote whose check could not run at all shows as MISSING. */
    private void verifyGit(String plan, GitBackupSpec git, VerificationSpec limits) {
        for (GitRemote backup : git.backups()) {
            try {
                rows.addAll(run.steps.check("check-git-" + backup.name(),
                        () -> run.git.checkBackup(new GitCheckRequest(plan, git.primary(), backup, limits.gitMaxLag())),
                        BackupVerificationWorkflowImpl::statusLine,
                        l -> l.stream().allMatch(r -> r.status() == VerificationStatus.OK)));
            } catch (Steps.Failed e) {
                rows.add(new VerificationRow("git", "freshness " + backup.name(), VerificationStatus.MISSING,
                        "could not check: " + e.getMessage()));
            }
        }
    }

    private void verifyImages(String plan, ImageBackupSpec images) {
        try {
            rows.addAll(
                    run.steps.check("check-images", () -> run.images.checkImages(new ImageCheckRequest(plan, images)),
                            BackupVerificationWorkflowImpl::statusLine,
                            l -> l.stream().allMatch(r -> r.status() == VerificationStatus.OK)));
        } catch (Steps.Failed e) {
            rows.add(new VerificationRow("images", "freshness", VerificationStatus.MISSING,
                    "could not check: " + e.getMessage()));
        }
    }

    /**
     * One notice per row that is not OK (a stale backup: backup-stale; anything else: verification-failed) under
     * {@code verification/<plan>/<kind>/<check>}; each OK row resolves what a NOT OK one opened under its key (see
     * {@link io.romadr.runtime.Notifier#resolveEarlier}): on every channel when the previous run of the schedule
     * reported that row NOT OK, else on the channels that deduplicate.
     */
    private void tellRows() {
        List<VerificationRow> before = previousBadRows();
        for (VerificationRow r : rows) {
            String key = rowKey(r);
            String what = r.kind() + " " + r.check();
            if (r.status() != VerificationStatus.OK) {
                NotifyEvent event = r.status() == VerificationStatus.STALE
                        ? NotifyEvent.BACKUP_STALE
                        : NotifyEvent.VERIFICATION_FAILED;
                run.notifier.send(event, key, "roma-dr: backup verification of plan " + request.plan() + ": " + what
                        + " " + r.status(), r.evidence(),
                        r.status() == VerificationStatus.STALE
                                ? "Run the " + r.kind() + " backup and check its schedule."
                                : "Look at the report: roma-dr report " + run.workflowId);
                continue;
            }
            VerificationRow earlier = before.stream().filter(b -> rowKey(b).equals(key)).findFirst().orElse(null);
            String title = "roma-dr: backup verification of plan " + request.plan() + ": " + what + " OK again";
            if (earlier != null) {
                run.notifier.resolveEarlier(earlier.status() == VerificationStatus.STALE
                        ? NotifyEvent.BACKUP_STALE
                        : NotifyEvent.VERIFICATION_FAILED, key, title, r.evidence(), true);
            } else {
                run.notifier.resolveEarlier(NotifyEvent.VERIFICATION_FAILED, key, title, r.evidence(), false);
                if (r.check().startsWith("freshness")) {
                    run.notifier.resolveEarlier(NotifyEvent.BACKUP_STALE, key, title, r.evidence(), false);
                }
            }
        }
    }

    private String rowKey(VerificationRow r) {
        return "verification/" + request.plan() + "/" + r.kind() + "/" + r.check().replace(' ', '-');
    }

    /** The NOT OK rows of the previous run of this schedule (its failure carries its report); empty when unknown. */
    private static List<VerificationRow> previousBadRows() {
        try {
            return Workflow.getPreviousRunFailure()
                    .filter(e -> e instanceof ApplicationFailure)
                    .map(e -> ((ApplicationFailure) e).getDetails().get(VerificationReport.class))
                    .map(r -> r.rows().stream().filter(row -> row.status() != VerificationStatus.OK).toList())
                    .orElse(List.of());
        } catch (RuntimeException unreadable) {
            return List.of(); // a failure without a report (it could not run): nothing known to be open
        }
    }

    private static String statusLine(List<VerificationRow> checked) {
        return String.join(", ", checked.stream().map(r -> r.check() + " " + r.status()).toList());
    }

    private static VerificationRow row(BackupKind kind, String check, VerifyResult v) {
        VerificationStatus status = v.ok()
                ? VerificationStatus.OK
                : v.problem() != null && v.problem().startsWith("missing")
                        ? VerificationStatus.MISSING
                        : VerificationStatus.CORRUPT;
        return new VerificationRow(kind.id(), check, status, v.objectKey() + ": " + ArchiveBackupRun.describe(v));
    }

    @Override
    protected VerificationReport report(String summary) {
        return new VerificationReport(run.workflowId, request.plan(), run.startedAt, BackupWorkflowSupport.now(),
                rows, run.steps.snapshot(), summary);
    }
}
