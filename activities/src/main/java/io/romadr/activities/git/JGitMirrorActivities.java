package io.romadr.activities.git;

import io.romadr.backup.GitCheckRequest;
import io.romadr.backup.GitFetchRequest;
import io.romadr.backup.GitMirrorActivities;
import io.romadr.backup.GitPushRequest;
import io.romadr.backup.GitPushResult;
import io.romadr.backup.GitRefs;
import io.romadr.backup.VerificationRow;
import io.romadr.backup.VerificationStatus;
import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;

/**
 * {@link GitMirrorActivities} with JGit: the primary is fetched into a per-plan bare cache ({@link MirrorCache}),
 * each backup is pushed from there with one explicit update per ref ({@link BackupPush}), and checks compare a
 * backup with the cache ({@link FreshnessCheck}) and fetch it whole into a scratch repository
 * ({@link IntegrityCheck}). {@code env} looks up the credentials the remotes name (production:
 * {@code System::getenv}).
 */
public class JGitMirrorActivities implements GitMirrorActivities {
    static final List<RefSpec> HEADS_AND_TAGS = List.of(new RefSpec("+refs/heads/*:refs/heads/*"),
            new RefSpec("+refs/tags/*:refs/tags/*"));
    static final String KIND = "git";

    private final Path cacheRoot;
    private final MirrorCache caches;
    private final RemoteGit remotes;

    public JGitMirrorActivities(Path cacheRoot, Function<String, String> env) {
        this.cacheRoot = cacheRoot;
        this.caches = new MirrorCache(cacheRoot);
        this.remotes = new RemoteGit(new GitTransports(env));
    }

    @Override
    public GitRefs fetchPrimary(GitFetchRequest request) {
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("fetch "
                + request.primary().name());
        try (Repository cache = caches.open(request.plan())) {
            Map<String, String> refs = fetchPrimaryInto(cache, request.plan(), request.primary(), monitor);
            if (refs.keySet().stream().noneMatch(r -> r.startsWith("refs/heads/"))) {
                throw ApplicationFailure.newNonRetryableFailure("primary remote " + request.primary().name() + " ("
                        + request.primary().displayUrl() + ") has no branches; refusing to mirror an empty "
                        + "repository over the backups", "EmptyGitPrimary");
            }
            return new GitRefs(request.primary().name(), refs);
        } catch (IOException e) {
            throw cacheFailure(request.plan(), "fetching primary " + request.primary().name(), e);
        }
    }

    @Override
    public GitPushResult pushBackup(GitPushRequest request) {
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("push "
                + request.backup().name());
        try (Repository cache = caches.open(request.plan())) {
            return new BackupPush(cache, remotes, caches.lock(request.plan()), monitor).push(request,
                    () -> fetchPrimaryInto(cache, request.plan(), request.primary(), monitor));
        } catch (IOException e) {
            throw cacheFailure(request.plan(), "pushing to backup " + request.backup().name(), e);
        }
    }

    @Override
    public List<VerificationRow> checkBackup(GitCheckRequest request) {
        GitRemote backup = request.backup();
        HeartbeatProgressMonitor monitor = HeartbeatProgressMonitor.forCurrentActivity("check " + backup.name());
        String freshness = "freshness " + backup.name();
        String integrity = "integrity " + backup.name();
        try (Repository cache = caches.open(request.plan())) {
            String note = "";
            Map<String, String> primary;
            try {
                primary = fetchPrimaryInto(cache, request.plan(), request.primary(), monitor);
            } catch (GitRemoteUnreachableException e) {
                // The backups matter most when the primary is gone: compare with the primary as last fetched.
                primary = RemoteGit.headsAndTags(cache.getRefDatabase().getRefs());
                if (primary.isEmpty()) {
                    throw e;
                }
                note = " (primary unreachable; compared with its last fetched state)";
            }
            Map<String, String> listed;
            try {
                listed = remotes.lsRemote(cache, backup, "backup");
            } catch (GitRemoteUnreachableException e) {
                String evidence = "unreachable: " + e.detail();
                return List.of(new VerificationRow(KIND, freshness, VerificationStatus.MISSING, evidence),
                        new VerificationRow(KIND, integrity, VerificationStatus.MISSING, evidence));
            }
            IntegrityCheck.Result whole = IntegrityCheck.run(remotes, backup, listed,
                    cacheRoot.resolve("scratch"), monitor);
            fetchMissingTips(cache, request.plan(), backup, listed, monitor);
            Duration maxLag = request.maxLag() == null ? Duration.ZERO : request.maxLag();
            FreshnessCheck.Result fresh = FreshnessCheck.evaluate(cache, primary, listed, maxLag);
            return List.of(new VerificationRow(KIND, freshness, fresh.status(), fresh.evidence() + note),
                    new VerificationRow(KIND, integrity, whole.status(), whole.evidence()));
        } catch (IOException e) {
            throw cacheFailure(request.plan(), "checking backup " + backup.name(), e);
        }
    }

    /**
     * A local failure (remote failures are {@link GitRemoteUnreachableException}s) most likely means a damaged
     * cache: drop it (the repository is closed by now), so the retry starts from an empty one.
     */
    private UncheckedIOException cacheFailure(String plan, String doing, IOException e) {
        ReentrantLock lock = caches.lock(plan);
        lock.lock();
        try {
            MirrorCache.deleteTree(caches.dir(plan));
        } catch (UncheckedIOException ignored) {
            // Reported below; the next open re-creates what it cannot read.
        } finally {
            lock.unlock();
        }
        return new UncheckedIOException(doing + " of plan " + plan + " failed in the worker's git cache (discarded; "
                + "the retry rebuilds it): " + e.getMessage(), e);
    }

    /** Fetches the primary's branches and tags into the cache (pruning), returns what the primary advertised. */
    private Map<String, String> fetchPrimaryInto(Repository cache, String plan, GitRemote primary,
            HeartbeatProgressMonitor monitor) throws IOException {
        ReentrantLock lock = caches.lock(plan);
        lock.lock();
        try {
            return remotes.fetch(cache, primary, "primary", HEADS_AND_TAGS, monitor);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Fetches the backup's branch tips the cache lacks into {@code refs/roma-dr/check/<backup>/heads/*}, so
     * ancestry between a backup tip and a primary tip can be decided locally. A failure is left for the caller's
     * checks to report (a tip that stays missing reads as "unreadable").
     */
    private void fetchMissingTips(Repository cache, String plan, GitRemote backup, Map<String, String> listed,
            HeartbeatProgressMonitor monitor) throws IOException {
        if (!BackupPush.missingBranchTips(cache, listed)) {
            return;
        }
        ReentrantLock lock = caches.lock(plan);
        lock.lock();
        try {
            remotes.fetch(cache, backup, "backup", List.of(BackupPush.namespace("check", backup)), monitor);
        } catch (GitRemoteUnreachableException | IOException e) {
            // Reported by the freshness row as an unreadable tip.
        } finally {
            lock.unlock();
        }
    }
}
