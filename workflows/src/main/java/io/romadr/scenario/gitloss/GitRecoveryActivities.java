package io.romadr.scenario.gitloss;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/** Scenario 4 on real git remotes and developer bundles (JGit). Long methods heartbeat. */
@ActivityInterface
public interface GitRecoveryActivities {
    /** Is the remote reachable, and which branches and tags does it have? Never throws for an unreachable remote. */
    @ActivityMethod
    GitProbe probeRemote(GitProbeRequest request);

    /**
     * Fetches every reachable candidate (remotes and bundle files) into one scratch repository and describes each by
     * ancestry: which of the known-good commits its branch tips contain, which other candidates it contains entirely,
     * and how many commits its branches hold. A bundle that fails verification is a candidate with a problem.
     */
    @ActivityMethod
    List<GitCandidate> assessCandidates(GitAssessRequest request);

    /**
     * Recreates the primary with the plan's commands when it is gone, then pushes every branch and tag of the chosen
     * source to it, force-updating (the workflow only calls this after approval). Idempotent: refs already equal are
     * left alone.
     */
    @ActivityMethod
    GitRestoreResult restorePrimary(GitRestoreRequest request);

    /**
     * A fresh clone of the primary compared with the source: commit count and the last 10 commits of the branch,
     * every tag present; then the plan's verify commands run in the clone.
     */
    @ActivityMethod
    GitVerifyResult verifyPrimary(GitVerifyRequest request);
}
