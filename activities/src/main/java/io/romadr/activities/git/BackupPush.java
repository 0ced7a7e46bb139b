package io.romadr.activities.git;

import io.romadr.backup.GitPushRequest;
import io.romadr.backup.GitPushResult;
import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * One push from the cache to one backup: list the backup, plan per ref ({@link RefDiffPlanner}), send only the
 * creates, updates and deletes in one push with each ref's expected old id, then list the backup again to verify.
 */
final class BackupPush {
    /** Fetches the primary into the cache again (when the cache lacks an object of the requested refs). */
    interface PrimaryFetch {
        Map<String, String> fetch() throws IOException;
    }

    private final Repository cache;
    private final RemoteGit remotes;
    private final ReentrantLock cacheLock;
    private final HeartbeatProgressMonitor monitor;

    BackupPush(Repository cache, RemoteGit remotes, ReentrantLock cacheLock, HeartbeatProgressMonitor monitor) {
        this.cache = cache;
        this.remotes = remotes;
        this.cacheLock = cacheLock;
        this.monitor = monitor;
    }

    GitPushResult push(GitPushRequest request, PrimaryFetch primaryFetch) throws IOException {
        GitRemote backup = request.backup();
        Map<String, String> wanted = RemoteGit.wantedHeadsAndTags(request.refs());
        ensureObjects(wanted, primaryFetch);

        monitor.beatNow("listing " + backup.name());
        Map<String, String> before = remotes.lsRemote(cache, backup, "backup");
        if (missingBranchTips(cache, before)) {
            lockedFetch(backup, namespace("backup", backup));
        }
        RefPlan plan = RefDiffPlanner.plan(wanted, before, this::isAncestor, request.allowForceUpdate());

        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!plan.nothingToPush()) {
            PushResult result = remotes.push(cache, backup, updates(plan), monitor);
            for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                String ref = u.getRemoteName();
                if (u.getStatus() == RemoteRefUpdate.Status.OK) {
                    (plan.create().containsKey(ref) ? created : plan.update().containsKey(ref) ? updated : deleted)
                            .add(ref);
                } else {
                    problems.add(RemoteGit.rejection(u));
                }
            }
        }

        monitor.beatNow("verifying " + backup.name());
        Map<String, String> after = remotes.lsRemote(cache, backup, "backup");
        boolean verified = equalExcept(wanted, after, plan.refusedRefs());
        String problem = problems.isEmpty()
                ? ""
                : "backup " + backup.name() + " rejected: "
                        + String.join("; ", problems);
        return new GitPushResult(backup.name(), sorted(created), sorted(updated), sorted(deleted), plan.refused(),
                plan.unchanged().size(), !plan.nothingToPush(), verified, problem);
    }

    /** Every requested object must be in the cache before the push; fetch the primary again if one is not. */
    private void ensureObjects(Map<String, String> wanted, PrimaryFetch primaryFetch) throws IOException {
        if (allPresent(wanted)) {
            return;
        }
        primaryFetch.fetch();
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            if (!cache.getObjectDatabase().has(ObjectId.fromString(e.getValue()))) {
                // The primary moved on (or was rewritten) since fetchPrimary; the next run mirrors its new state.
                throw ApplicationFailure.newNonRetryableFailure(e.getKey() + " " + e.getValue()
                        + " is no longer on the primary; it changed since this run fetched it", "GitRefGone");
            }
        }
    }

    private boolean allPresent(Map<String, String> refs) throws IOException {
        for (String id : refs.values()) {
            if (!cache.getObjectDatabase().has(ObjectId.fromString(id))) {
                return false;
            }
        }
        return true;
    }

    private void lockedFetch(GitRemote backup, RefSpec spec) throws IOException {
        cacheLock.lock();
        try {
            remotes.fetch(cache, backup, "backup", List.of(spec), monitor);
        } finally {
            cacheLock.unlock();
        }
    }

    private List<RemoteRefUpdate> updates(RefPlan plan) throws IOException {
        List<RemoteRefUpdate> updates = new ArrayList<>();
        for (Map.Entry<String, String> e : plan.create().entrySet()) {
            updates.add(new RemoteRefUpdate(cache, null, ObjectId.fromString(e.getValue()), e.getKey(), false, null,
                    ObjectId.zeroId()));
        }
        for (Map.Entry<String, String> e : plan.update().entrySet()) {
            updates.add(new RemoteRefUpdate(cache, null, ObjectId.fromString(e.getValue()), e.getKey(),
                    plan.forced().contains(e.getKey()), null, ObjectId.fromString(plan.expectedOld().get(e.getKey()))));
        }
        for (String ref : plan.delete()) {
            updates.add(new RemoteRefUpdate(cache, null, null, ref, false, null,
                    ObjectId.fromString(plan.expectedOld().get(ref))));
        }
        return updates;
    }

    /** Whether the commit {@code older} is an ancestor of (or equal to) the commit {@code newer}, in the cache. */
    private boolean isAncestor(String older, String newer) {
        try (RevWalk walk = new RevWalk(cache)) {
            RevCommit o = walk.parseCommit(ObjectId.fromString(older));
            RevCommit n = walk.parseCommit(ObjectId.fromString(newer));
            return walk.isMergedInto(o, n);
        } catch (MissingObjectException | IncorrectObjectTypeException e) {
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the git cache: " + e.getMessage(), e);
        }
    }

    /** True when a branch tip {@code listed} by a backup is not in the cache. */
    static boolean missingBranchTips(Repository cache, Map<String, String> listed) throws IOException {
        for (Map.Entry<String, String> e : listed.entrySet()) {
            if (e.getKey().startsWith("refs/heads/")
                    && !cache.getObjectDatabase().has(ObjectId.fromString(e.getValue()))) {
                return true;
            }
        }
        return false;
    }

    /** Where a backup's branches are fetched in the cache: refs/roma-dr/{purpose}/{backup}/heads/*. */
    static RefSpec namespace(String purpose, GitRemote backup) {
        return new RefSpec("+refs/heads/*:refs/roma-dr/" + purpose + "/" + backup.name() + "/heads/*");
    }

    static boolean equalExcept(Map<String, String> wanted, Map<String, String> actual, List<String> except) {
        Set<String> skip = new HashSet<>(except);
        Map<String, String> w = new TreeMap<>(wanted);
        Map<String, String> a = new TreeMap<>(actual);
        w.keySet().removeAll(skip);
        a.keySet().removeAll(skip);
        return w.equals(a);
    }

    private static List<String> sorted(List<String> refs) {
        return refs.stream().sorted().toList();
    }
}
