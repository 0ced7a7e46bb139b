package io.romadr.backup;

import io.romadr.runtime.Steps;
import io.romadr.plan.BackupStore;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class GitMirrorWorkflowImpl extends BackupWorkflowBase<GitMirrorReport> implements GitMirrorWorkflow {
    private BackupRequest request;
    private String primary = "";
    private Map<String, String> primaryRefs = Map.of();
    private final List<GitPushResult> results = new ArrayList<>();
    static final String RECORD_LAST_MIRROR = "record-last-mirror";
    private BackupStore store;

    @Override
    public GitMirrorReport mirror(BackupRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-git", request.plan()).notifyAsBackup("git");
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup.git", b -> b.git() != null);
            GitBackupSpec git = plan.backup().git();
            store = plan.backup().store();
            primary = git.primary().name() + " (" + git.primary().displayUrl() + ")";
            GitRefs fetched = run.steps.run("fetch-primary",
                    () -> run.git.fetchPrimary(new GitFetchRequest(plan.name(), git.primary())),
                    r -> r.refs().size() + " ref(s) from " + primary);
            primaryRefs = fetched.refs();
            pushAll(plan.name(), git, fetched);
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.BACKUP_FAILED, this::report, "Git mirror failed at " + e.getMessage());
        }
        run.failIfAnyBad(results, GitPushResult::ok, GitMirrorWorkflowImpl::problemOf,
                "backup remote(s) not equal to " + primary, this::report);
        // Version 1 keeps the mirrored refs in the store: Scenario 4's known-good commits.
        if (Workflow.getVersion(RECORD_LAST_MIRROR, Workflow.DEFAULT_VERSION, 1) >= 1) {
            GitMirrorRecord record = new GitMirrorRecord(request.plan(), run.workflowId, BackupWorkflowSupport.now(),
                    primaryRefs);
            try {
                run.steps.run("record", () -> {
                    run.gitRecords.recordGitMirror(new RecordGitMirrorRequest(store, record));
                    return GitMirrorRecord.key(request.plan());
                }, key -> "last good mirror kept in " + key);
            } catch (Steps.Failed e) {
                // The backups are equal: that is the backup. A missing record only weakens Scenario 4's choice.
            }
        }
        int changed = results.stream().mapToInt(r -> r.created().size() + r.updated().size() + r.deleted().size())
                .sum();
        return run.finish(Outcome.RECOVERED, this::report,
                "Mirrored " + primaryRefs.size() + " ref(s) of " + primary + " to " + results.size()
                        + " backup(s): "
                        + (changed == 0 ? "all already equal, nothing sent" : changed + " ref change(s)")
                        + "; read back and equal.");
    }

    /** One push per backup, in parallel; each records its own step when it ends, success or not. */
    private void pushAll(String plan, GitBackupSpec git, GitRefs fetched) {
        List<Promise<GitPushResult>> pending = new ArrayList<>();
        for (GitRemote backup : git.backups()) {
            String step = "push-" + backup.name();
            int index = run.steps.begin(step);
            GitPushRequest push = new GitPushRequest(plan, git.primary(), backup, fetched.refs(),
                    git.allowForceUpdate());
            pending.add(Async.function(run.git::pushBackup, push).handle((result, failure) -> {
                GitPushResult r = result != null ? result : unreachable(backup, failure);
                run.steps.end(index,
                        r.ok() ? StepOutcome.OK : StepOutcome.FAILED, describe(r));
                return r;
            }));
        }
        for (Promise<GitPushResult> p : pending) {
            results.add(p.get());
        }
    }

    private static GitPushResult unreachable(GitRemote backup, RuntimeException failure) {
        String message = failure instanceof ActivityFailure af
                ? Steps.message(af)
                : String.valueOf(failure.getMessage());
        return new GitPushResult(backup.name(), null, null, null, null, 0, false, false,
                "failed after retries: " + message);
    }

    static String describe(GitPushResult r) {
        if (!r.problem().isEmpty()) {
            return r.remote() + ": " + r.problem();
        }
        String s = r.remote() + ": " + r.created().size() + " created, " + r.updated().size() + " updated, "
                + r.deleted().size() + " deleted, " + r.unchanged() + " unchanged"
                + (r.pushed() ? "" : ", nothing sent");
        if (!r.refused().isEmpty()) {
            s += "; REFUSED " + String.join("; ", r.refused());
        }
        return s + (r.verified() ? "; read back equal" : "; NOT equal on read back");
    }

    private static String problemOf(GitPushResult r) {
        if (!r.problem().isEmpty()) {
            return r.remote() + ": " + r.problem();
        }
        if (!r.refused().isEmpty()) {
            return r.remote() + ": refused " + String.join("; ", r.refused());
        }
        return r.remote() + ": refs differ on read back";
    }

    @Override
    protected GitMirrorReport report(String summary) {
        return new GitMirrorReport(run.workflowId, request.plan(), request.requestedBy(), run.status.outcome(),
                run.startedAt, run.reportTime(), primary, primaryRefs, results, run.steps.snapshot(),
                summary);
    }
}
