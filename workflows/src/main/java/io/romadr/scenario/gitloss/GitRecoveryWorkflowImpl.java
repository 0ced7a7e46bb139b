package io.romadr.scenario.gitloss;

import io.romadr.approval.ApprovalScenarioWorkflowBase;
import io.romadr.backup.GitMirrorRecord;
import io.romadr.backup.GitMirrorRecordActivities;
import io.romadr.backup.LastGitMirrorRequest;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.report.StepOutcome;
import io.romadr.report.StepRecord;
import io.romadr.runtime.Retries;
import io.romadr.runtime.Steps;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

public class GitRecoveryWorkflowImpl extends ApprovalScenarioWorkflowBase<GitRecoveryReport>
        implements GitRecoveryWorkflow {
    static final int GIT_ATTEMPTS = 4;
    /** Fetches and pushes of whole histories: long, heartbeating, a few retries. */
    private final GitRecoveryActivities git = steps.stub(GitRecoveryActivities.class, Duration.ofHours(2),
            Duration.ofSeconds(60), Retries.of(GIT_ATTEMPTS));

    private final GitMirrorRecordActivities records = steps.stub(GitMirrorRecordActivities.class, Duration.ofMinutes(2),
            null, Retries.of(5));
    static final String KNOWN_GOOD_FROM_LAST_MIRROR = "known-good-from-last-mirror";

    private final List<GitProbe> probes = new ArrayList<>();
    private List<GitCandidate> candidates = List.of();
    private GitRecoveryRequest request;
    private long rtoMillis;
    private String chosen = "";
    private List<String> reasons = List.of();
    private GitRestoreResult restore;
    private GitVerifyResult verification;

    @Override
    public GitRecoveryReport recover(GitRecoveryRequest request) {
        this.request = request;
        startClock(request);
        run.start(SCENARIO, request.plan(), false);
        try {
            RecoveryPlan plan = steps.loadPlan(request.plan(), "backup.git section (primary and backup remotes)",
                    p -> p.backup() != null && p.backup().git() != null);
            GitBackupSpec spec = plan.backup().git();
            rtoMillis = spec.recovery().rto().toMillis();
            // From the first step: a recovery that waited for a worker still calls a lost worker's step again.
            steps.budget(startedAt + rtoMillis);
            planLoaded(plan, rtoMillis);
            rto.startIfLive(Duration.ofMillis(rtoMillis), () -> !run.running());
            recoveryStarted(rtoMillis, request.requestedBy(), "");
            String summary = recover(plan, spec);
            return run.finish(Outcome.RECOVERED, summary);
        } catch (Steps.Failed e) {
            GitRecoveryReport failed = run.finish(Outcome.FAILED, "Git recovery failed at " + e.getMessage());
            throw RunFailure.of(RunFailure.RECOVERY_FAILED, failed.summary(), failed);
        }
    }

    private String recover(RecoveryPlan recoveryPlan, GitBackupSpec spec) {
        String plan = recoveryPlan.name();
        // 1. Probe every remote, in parallel; an unreachable one is a finding, not a failure.
        List<GitRemote> remotes = new ArrayList<>();
        remotes.add(spec.primary());
        remotes.addAll(spec.backups());
        List<Promise<GitProbe>> pending = new ArrayList<>();
        for (GitRemote remote : remotes) {
            int index = steps.begin("probe-" + remote.name());
            GitProbeRequest probeRequest = new GitProbeRequest(plan, remote);
            // A probe whose worker died says nothing about the remote: call it again before calling it unreachable.
            Promise<GitProbe> probed = steps.retriesLostWorkers()
                    ? Async.function(() -> steps.callAgainIfLost(() -> git.probeRemote(probeRequest), GIT_ATTEMPTS))
                    : Async.function(git::probeRemote, probeRequest);
            pending.add(probed.handle((p, failure) -> {
                GitProbe probe = p != null
                        ? p
                        : new GitProbe(remote.name(), remote.displayUrl(), false, null,
                                "probe failed: " + Steps.message(failure));
                steps.end(index, StepOutcome.OK, describe(probe));
                return probe;
            }));
        }
        pending.forEach(p -> probes.add(p.get()));
        GitProbe primaryProbe = probes.get(0);

        // 2. Assess the reachable remotes and the bundles by ancestry; choose.
        List<GitRemote> reachable = new ArrayList<>();
        for (int i = 0; i < remotes.size(); i++) {
            if (probes.get(i).reachable() && !probes.get(i).refs().isEmpty()) {
                reachable.add(remotes.get(i));
            }
        }
        if (reachable.isEmpty() && request.bundles().isEmpty()) {
            steps.fail("assess", "no remote is reachable with any branch, and no bundle was handed in");
        }
        List<String> knownGood = new ArrayList<>(request.knownGood());
        String knownGoodNote = knownGood.isEmpty()
                ? ""
                : "known-good from the request: " + String.join(", ",
                        knownGood.stream().map(GitSourceChoice::shortId).toList());
        // Version 1: the branch tip of the last good mirror is known-good too (kept in the backup store).
        if (Workflow.getVersion(KNOWN_GOOD_FROM_LAST_MIRROR, Workflow.DEFAULT_VERSION, 1) >= 1) {
            String branch = "refs/heads/" + spec.recovery().branch();
            GitMirrorRecord last = null;
            try {
                last = steps.run("last-mirror", () -> records.lastGitMirror(new LastGitMirrorRequest(
                        recoveryPlan.backup().store(), plan)), r -> r.refs().containsKey(branch)
                                ? branch + " was " + GitSourceChoice.shortId(r.refs().get(branch))
                                        + " at the last mirror"
                                : "the last mirror had no " + branch);
            } catch (Steps.Failed e) {
                // The store may be part of the disaster: choose by containment alone, and say so.
                knownGoodNote = (knownGoodNote.isEmpty() ? "" : knownGoodNote + "; ") + "no last-mirror record ("
                        + e.getMessage() + ")";
            }
            if (last != null && last.refs().containsKey(branch)) {
                knownGood.add(last.refs().get(branch));
                knownGoodNote = (knownGoodNote.isEmpty() ? "" : knownGoodNote + "; ") + "known-good from the last "
                        + "mirror (" + last.workflowId() + "): " + branch + " at "
                        + GitSourceChoice.shortId(last.refs().get(branch));
            }
        }
        candidates = steps.run("assess", GIT_ATTEMPTS, () -> git.assessCandidates(new GitAssessRequest(plan, reachable,
                request.bundles(), knownGood)), l -> l.size() + " candidate(s)");
        GitSourceChoice.Choice choice = GitSourceChoice.choose(candidates);
        reasons = new ArrayList<>(choice.reasons());
        if (!knownGoodNote.isEmpty()) {
            reasons.add(0, knownGoodNote);
        }
        if (choice.chosen() == null) {
            steps.fail("choose", String.join("; ", reasons));
        }
        GitCandidate source = choice.chosen();
        chosen = source.name();
        steps.mark("choose", StepOutcome.OK, String.join("; ", reasons));

        boolean primaryIsSource = source.name().equals(spec.primary().name());
        GitRemote sourceRemote = remotes.stream().filter(r -> r.name().equals(source.name())).findFirst()
                .orElse(null);
        String sourceBundle = sourceRemote == null ? bundlePath(source) : null;
        if (primaryIsSource && !choice.diverged()) {
            steps.mark("restore", StepOutcome.SKIPPED,
                    "the primary's history contains every other one: nothing to restore");
        } else {
            // 3. Nothing touches the primary before an operator says so.
            boolean primaryMissing = !primaryProbe.reachable() || primaryProbe.refs().isEmpty();
            String question = (primaryMissing
                    ? "Recreate the primary " + spec.primary().name() + " ("
                            + spec.primary().displayUrl() + ") and push "
                    : "Force-update the primary " + spec.primary().name()
                            + " (" + spec.primary().displayUrl() + ") to ")
                    + source.refs().size() + " ref(s) from "
                    + source.name() + (choice.diverged() ? " (histories have DIVERGED)" : "") + "?";
            gate.awaitStep(steps, "restore-primary", question, spec.recovery().approvalTimeout(),
                    "the primary was not touched");
            // 4. Restore.
            restore = steps.run("restore", GIT_ATTEMPTS,
                    () -> git.restorePrimary(new GitRestoreRequest(plan, spec.primary(),
                            sourceRemote, sourceBundle, source.refs(), primaryMissing, spec.recovery().recreate())),
                    r -> (r.recreated() ? "recreated; " : "") + r.updated().size() + " ref(s) updated, "
                            + r.unchanged() + " unchanged" + (r.problem().isEmpty() ? "" : "; " + r.problem()));
            if (!restore.problem().isEmpty()) {
                throw new Steps.Failed("restore: " + restore.problem());
            }
        }
        // 5. Verify a fresh clone against the source.
        verification = steps.run("verify", GIT_ATTEMPTS,
                () -> git.verifyPrimary(new GitVerifyRequest(plan, spec.primary(),
                        sourceRemote, sourceBundle, source.refs(), spec.recovery().branch(), spec.recovery().verify())),
                v -> v.commitCount() + "/" + v.expectedCommitCount() + " commits"
                        + (v.missingTags().isEmpty() ? "" : ", missing tags " + v.missingTags())
                        + (v.problem().isEmpty() ? "" : "; " + v.problem()));
        if (!verification.ok()) {
            throw new Steps.Failed("verify: " + (verification.problem().isEmpty()
                    ? "the fresh clone does not match "
                            + source.name()
                    : verification.problem()));
        }
        return primaryIsSource && restore == null
                ? "The primary " + spec.primary().name() + " holds every other history; nothing restored; verified."
                : "Restored the primary " + spec.primary().name() + " from " + source.name() + " ("
                        + source.commitCount() + " commits); a fresh clone matches.";
    }

    private static String bundlePath(GitCandidate c) {
        return c.location();
    }

    private static String describe(GitProbe p) {
        return p.reachable()
                ? p.remote() + " reachable, " + p.refs().size() + " ref(s)"
                : p.remote() + " UNREACHABLE: " + p.problem();
    }

    @Override
    protected GitRecoveryReport report(String summary) {
        List<StepRecord> timeline = steps.snapshot();
        return new GitRecoveryReport(workflowId, request.plan(), request.requestedBy(), run.outcome(), clockStart,
                run.now(), rtoMillis, probes, candidates, chosen, reasons, gate.pending(),
                gate.last(),
                restore, verification, timeline, summary, incident);
    }
}
