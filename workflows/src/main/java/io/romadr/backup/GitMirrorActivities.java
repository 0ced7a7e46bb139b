package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * Git mirroring with JGit. The worker keeps a local bare mirror per plan as a cache (so an incremental run fetches
 * and sends only new objects); losing the cache only makes the next run slower. Long methods heartbeat.
 */
@ActivityInterface
public interface GitMirrorActivities {
    /**
     * Fetches every branch and tag of the primary into the worker's cache; returns them (ref name -> commit or tag
     * object id). Fails (and is retried) when the primary is unreachable; refuses an empty primary.
     */
    @ActivityMethod
    GitRefs fetchPrimary(GitFetchRequest request);

    /**
     * Makes one backup's branches and tags equal to {@code request.refs()}: creates, fast-forwards and deletes
     * refs explicitly; a ref that would not fast-forward is refused unless allowed. Sends nothing when the backup
     * is already equal. Reads the backup's refs back afterwards ({@code verified}).
     */
    @ActivityMethod
    GitPushResult pushBackup(GitPushRequest request);

    /**
     * Verification rows for one backup remote: {@code freshness} (branch tips at most {@code maxLag} of commits
     * behind the primary's; STALE otherwise or when a ref is missing or diverged) and {@code integrity} (every
     * ref of the backup fetches with all its objects present and connected; CORRUPT otherwise, MISSING when the
     * backup cannot be reached).
     */
    @ActivityMethod
    List<VerificationRow> checkBackup(GitCheckRequest request);
}
