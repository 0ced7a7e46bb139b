package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.GitCheckRequest;
import io.romadr.backup.GitFetchRequest;
import io.romadr.backup.GitPushRequest;
import io.romadr.backup.GitPushResult;
import io.romadr.backup.GitRefs;
import io.romadr.backup.VerificationRow;
import io.romadr.backup.VerificationStatus;
import io.romadr.plan.GitRemote;
import io.romadr.backup.GitMirrorActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The git mirror activities against real {@code git daemon}s: the primary and backup-1 on one daemon, backup-2 on
 * another (so backup-2 can go away alone). Histories are made with the git CLI; results are read back with
 * {@code git ls-remote}, independently of JGit.
 */
@org.junit.jupiter.api.Tag("integration")
class GitMirrorActivitiesTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path root;
    private static GitDaemon daemonA;
    private static GitDaemon daemonB;

    private String plan;
    private Path work;
    private Path backup2Dir;
    private GitRemote primary;
    private GitRemote backup1;
    private GitRemote backup2;
    private Path cacheRoot;
    private JGitMirrorActivities activities;

    @BeforeAll
    static void startDaemons() throws Exception {
        daemonA = GitDaemon.start(Files.createDirectories(root.resolve("a")));
        daemonB = GitDaemon.start(Files.createDirectories(root.resolve("b")));
    }

    @AfterAll
    static void stopDaemons() throws Exception {
        daemonA.close();
        daemonB.close();
    }

    @BeforeEach
    void newRepositories() throws Exception {
        int n = SEQ.incrementAndGet();
        plan = "plan" + n;
        daemonA.createBare("primary" + n);
        daemonA.createBare("backup1-" + n);
        backup2Dir = daemonB.createBare("backup2-" + n);
        primary = remote("origin", daemonA.url("primary" + n));
        backup1 = remote("backup-1", daemonA.url("backup1-" + n));
        backup2 = remote("backup-2", daemonB.url("backup2-" + n));
        work = Files.createDirectories(root.resolve("work" + n));
        GitCli.run(work, "init", "-q");
        GitCli.run(work, "remote", "add", "origin", primary.url());
        cacheRoot = root.resolve("cache" + n);
        activities = new JGitMirrorActivities(cacheRoot, System::getenv);
    }

    /** main (2 commits) with annotated tag v1, dev (1 more) with lightweight tag v1-light, pushed to the primary. */
    private void initialHistory() throws Exception {
        GitCli.commit(work, "a.txt", "one", "2026-01-01T00:00:00Z");
        GitCli.commit(work, "a.txt", "one two", "2026-01-01T00:10:00Z");
        GitCli.run(work, "tag", "-a", "v1", "-m", "release 1");
        GitCli.run(work, "checkout", "-q", "-b", "dev");
        GitCli.commit(work, "b.txt", "dev work", "2026-01-01T00:20:00Z");
        GitCli.run(work, "tag", "v1-light");
        GitCli.run(work, "checkout", "-q", "main");
        GitCli.run(work, "push", "-q", "origin", "main", "dev", "v1", "v1-light");
    }

    private GitPushResult push(GitRefs refs, GitRemote backup, boolean allowForce) {
        return activities.pushBackup(new GitPushRequest(plan, primary, backup, refs.refs(), allowForce));
    }

    private GitRefs fetch() {
        return activities.fetchPrimary(new GitFetchRequest(plan, primary));
    }

    @Test
    void firstMirrorCopiesEveryBranchAndTagToBothBackups() throws Exception {
        initialHistory();
        Map<String, String> onPrimary = GitCli.lsRemote(work, primary.url());

        GitRefs refs = fetch();
        assertEquals(onPrimary, refs.refs());
        assertEquals(List.of("refs/heads/dev", "refs/heads/main", "refs/tags/v1", "refs/tags/v1-light"),
                List.copyOf(refs.refs().keySet()));
        // The annotated tag is listed with its tag object's id, not the commit's.
        assertNotEquals(GitCli.run(work, "rev-parse", "v1^{commit}").trim(), refs.refs().get("refs/tags/v1"));

        for (GitRemote backup : List.of(backup1, backup2)) {
            GitPushResult r = push(refs, backup, false);
            assertEquals(List.copyOf(refs.refs().keySet()), r.created(), backup.name());
            assertTrue(r.updated().isEmpty() && r.deleted().isEmpty() && r.refused().isEmpty(), r.toString());
            assertTrue(r.pushed() && r.verified() && r.ok(), r.toString());
            assertEquals(onPrimary, GitCli.lsRemote(work, backup.url()), backup.name());
        }
    }

    @Test
    void secondMirrorCreatesUpdatesAndDeletesExactlyTheChangedRefs() throws Exception {
        initialHistory();
        GitRefs first = fetch();
        push(first, backup1, false);
        push(first, backup2, false);

        GitCli.commit(work, "a.txt", "one two three", "2026-01-01T01:00:00Z");
        GitCli.commit(work, "c.txt", "new file", "2026-01-01T01:10:00Z");
        GitCli.run(work, "tag", "-a", "v2", "-m", "release 2");
        GitCli.run(work, "push", "-q", "origin", "main", "v2", ":dev");

        GitRefs second = fetch();
        assertFalse(second.refs().containsKey("refs/heads/dev"));
        for (GitRemote backup : List.of(backup1, backup2)) {
            GitPushResult r = push(second, backup, false);
            assertEquals(List.of("refs/tags/v2"), r.created(), backup.name());
            assertEquals(List.of("refs/heads/main"), r.updated(), backup.name());
            assertEquals(List.of("refs/heads/dev"), r.deleted(), backup.name());
            assertEquals(2, r.unchanged(), backup.name());
            assertTrue(r.ok(), r.toString());
            assertEquals(GitCli.lsRemote(work, primary.url()), GitCli.lsRemote(work, backup.url()));
        }
    }

    @Test
    void runWithoutChangesSendsNothing() throws Exception {
        initialHistory();
        push(fetch(), backup1, false);
        String before = GitCli.run(work, "ls-remote", backup1.url());

        GitPushResult again = push(fetch(), backup1, false);
        assertFalse(again.pushed(), again.toString());
        assertEquals(4, again.unchanged());
        assertTrue(again.created().isEmpty() && again.updated().isEmpty() && again.deleted().isEmpty());
        assertTrue(again.verified());
        assertEquals(before, GitCli.run(work, "ls-remote", backup1.url()));
    }

    @Test
    void unreachableBackupFailsNamingItWhileTheOtherBackupIsMirrored() throws Exception {
        initialHistory();
        GitRefs refs = fetch();
        daemonB.stop();
        try {
            GitRemoteUnreachableException e = assertThrows(GitRemoteUnreachableException.class,
                    () -> push(refs, backup2, false));
            assertTrue(e.getMessage().startsWith("backup remote backup-2 (" + backup2.url() + ") unreachable: "),
                    e.getMessage());
            assertTrue(push(refs, backup1, false).ok());
            assertEquals(refs.refs(), GitCli.lsRemote(work, backup1.url()));
        } finally {
            daemonB.start();
        }
        // Back on the same port, the retried push completes.
        assertTrue(push(refs, backup2, false).ok());
        assertEquals(refs.refs(), GitCli.lsRemote(work, backup2.url()));
    }

    /**
     * A primary whose main tip is grafted to have no parent (info/grafts, which git's pack-objects obeys without
     * telling the client) sends that commit without its parent: the first fetch into the empty cache must not take a
     * history that is not complete (the pack's own graph check finds the parent missing, JGit's walk confirms it).
     */
    @Test
    void aPrimaryThatSendsAnIncompleteHistoryIsNotMirrored() throws Exception {
        initialHistory();
        String name = "grafted-" + plan;
        Path grafted = root.resolve("a").resolve(name + ".git");
        GitCli.run(work, "clone", "-q", "--bare", primary.url(), grafted.toString());
        Files.writeString(grafted.resolve("info").resolve("grafts"), GitCli.run(grafted, "rev-parse", "main"));
        GitRemote incomplete = remote("origin", daemonA.url(name));

        GitRemoteUnreachableException e = assertThrows(GitRemoteUnreachableException.class,
                () -> activities.fetchPrimary(new GitFetchRequest(plan, incomplete)));
        assertTrue(e.getMessage().contains("complete object graph"), e.getMessage());
        try (Repository cache = new FileRepositoryBuilder().setGitDir(cacheRoot.resolve(plan + ".git").toFile())
                .setBare().setMustExist(true).build()) {
            assertFalse(cache.getRefDatabase().hasRefs(), "no ref may point into an incomplete history");
        }
    }

    @Test
    void unreachablePrimaryFailsNamingIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GitRemote gone = remote("origin", "git://127.0.0.1:" + port + "/roma.git");
        GitRemoteUnreachableException e = assertThrows(GitRemoteUnreachableException.class,
                () -> activities.fetchPrimary(new GitFetchRequest(plan, gone)));
        assertTrue(e.getMessage().startsWith("primary remote origin (git://127.0.0.1:" + port
                + "/roma.git) unreachable: "), e.getMessage());
    }

    @Test
    void forcePushedPrimaryIsRefusedAndTheBackupKeepsItsHistory() throws Exception {
        initialHistory();
        String older = GitCli.run(work, "rev-parse", "main").trim();
        String newer = GitCli.commit(work, "a.txt", "newer", "2026-01-01T02:00:00Z");
        GitCli.run(work, "push", "-q", "origin", "main");
        push(fetch(), backup1, false);

        GitCli.run(work, "push", "-q", "-f", "origin", older + ":refs/heads/main");
        GitRefs rewritten = fetch();
        assertEquals(older, rewritten.refs().get("refs/heads/main"));
        GitPushResult r = push(rewritten, backup1, false);
        assertEquals(List.of("refs/heads/main: non-fast-forward (backup keeps " + newer.substring(0, 7)
                + ", primary has " + older.substring(0, 7) + "); allowForceUpdate is false"), r.refused());
        assertFalse(r.pushed());
        assertTrue(r.verified(), "everything but the refused ref equals the primary");
        assertFalse(r.ok());
        assertEquals(newer, GitCli.lsRemote(work, backup1.url()).get("refs/heads/main"));

        GitPushResult forced = push(rewritten, backup1, true);
        assertEquals(List.of("refs/heads/main"), forced.updated());
        assertTrue(forced.ok(), forced.toString());
        assertEquals(older, GitCli.lsRemote(work, backup1.url()).get("refs/heads/main"));
    }

    @Test
    void backupWithCommitsThePrimaryNeverHadIsRefusedUnlessForced() throws Exception {
        initialHistory();
        GitRefs refs = fetch();
        push(refs, backup1, false);
        // Someone pushes straight to the backup: its main is now a commit the cache has never seen.
        Path other = Files.createDirectories(root.resolve("other-" + plan));
        GitCli.run(other, "clone", "-q", backup1.url(), ".");
        String stray = GitCli.commit(other, "stray.txt", "only on the backup", null);
        GitCli.run(other, "push", "-q", "origin", "main");

        GitPushResult r = push(refs, backup1, false);
        assertEquals(1, r.refused().size(), r.toString());
        assertTrue(r.refused().get(0).startsWith("refs/heads/main: non-fast-forward (backup keeps "
                + stray.substring(0, 7)), r.refused().get(0));
        assertEquals(stray, GitCli.lsRemote(work, backup1.url()).get("refs/heads/main"));

        assertTrue(push(refs, backup1, true).ok());
        assertEquals(refs.refs(), GitCli.lsRemote(work, backup1.url()));
    }

    @Test
    void aFreshOrDamagedCacheIsRebuiltFromThePrimary() throws Exception {
        initialHistory();
        GitRefs refs = fetch();
        // Another worker, with an empty cache, gets the push: it fetches the primary again first.
        JGitMirrorActivities otherWorker = new JGitMirrorActivities(root.resolve("other-cache-" + plan),
                System::getenv);
        assertTrue(otherWorker.pushBackup(new GitPushRequest(plan, primary, backup1, refs.refs(), false)).ok());
        assertEquals(refs.refs(), GitCli.lsRemote(work, backup1.url()));

        // A cache that cannot be opened any more is dropped and rebuilt.
        Path cache = root.resolve("cache" + plan.substring("plan".length())).resolve(plan + ".git");
        Files.writeString(cache.resolve("config"), "[core\n garbage = = =\n");
        assertEquals(refs, fetch());
        assertTrue(push(refs, backup2, false).ok());
    }

    @Test
    void insideAnActivityItHeartbeatsAndAnUnreachableBackupStaysRetryable() throws Exception {
        initialHistory();
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            List<String> beats = new CopyOnWriteArrayList<>();
            env.setActivityHeartbeatListener(String.class, beats::add);
            env.registerActivitiesImplementations(activities);
            GitMirrorActivities stub = env.newActivityStub(GitMirrorActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                    .build());
            GitRefs refs = stub.fetchPrimary(new GitFetchRequest(plan, primary));
            assertTrue(stub.pushBackup(new GitPushRequest(plan, primary, backup1, refs.refs(), false)).ok());
            assertTrue(beats.stream().anyMatch(b -> b.startsWith("fetch origin")), beats.toString());
            // The SDK itself throttles heartbeats (the listener sees some, not all): one per activity at least.
            assertTrue(beats.stream().anyMatch(b -> b.startsWith("push backup-1: ")), beats.toString());

            daemonB.stop();
            try {
                ActivityFailure f = assertThrows(ActivityFailure.class,
                        () -> stub.pushBackup(new GitPushRequest(plan, primary, backup2, refs.refs(), false)));
                ApplicationFailure cause = (ApplicationFailure) f.getCause();
                assertFalse(cause.isNonRetryable());
                assertTrue(cause.getOriginalMessage().startsWith("backup remote backup-2 (" + backup2.url()
                        + ") unreachable: "), cause.getOriginalMessage());
            } finally {
                daemonB.start();
            }
        } finally {
            env.close();
        }
    }

    @Test
    void aConcurrentChangeOnTheBackupIsReportedNotOverwritten() throws Exception {
        initialHistory();
        push(fetch(), backup1, false);
        Path other = Files.createDirectories(root.resolve("other-" + plan));
        GitCli.run(other, "clone", "-q", backup1.url(), ".");
        GitCli.run(other, "checkout", "-q", "-b", "stray");
        String stray = GitCli.commit(other, "stray.txt", "someone else's push", null);
        GitCli.run(other, "push", "-q", "origin", "stray");
        // Between roma-dr's listing and its push, "someone" moves main: a pre-receive hook runs in that window.
        Path backup1Dir = root.resolve("a").resolve(backup1.url().substring(backup1.url().lastIndexOf('/') + 1));
        Path hook = backup1Dir.resolve("hooks").resolve("pre-receive");
        // (git forbids ref updates inside the push's object quarantine; the hook steps out of it on purpose.)
        Files.writeString(hook, "#!/bin/sh\nrm -f \"$0\"\nunset GIT_QUARANTINE_PATH\n"
                + "exec git update-ref refs/heads/main " + stray + "\n");
        assertTrue(hook.toFile().setExecutable(true));
        GitCli.commit(work, "a.txt", "primary moves on", null);
        GitCli.run(work, "push", "-q", "origin", "main");

        GitPushResult r = push(fetch(), backup1, false);
        assertTrue(r.pushed());
        assertTrue(r.updated().isEmpty(), r.toString());
        assertTrue(r.problem().startsWith("backup backup-1 rejected: refs/heads/main: "), r.problem());
        assertEquals(List.of("refs/heads/stray"), r.deleted(), "the other refs of the push still apply");
        assertFalse(r.verified());
        assertEquals(stray, GitCli.lsRemote(work, backup1.url()).get("refs/heads/main"));
    }

    @Test
    void emptyPrimaryIsRefused() {
        ApplicationFailure e = assertThrows(ApplicationFailure.class, this::fetch);
        assertTrue(e.isNonRetryable());
        assertTrue(e.getOriginalMessage().contains("has no branches; refusing to mirror an empty repository over "
                + "the backups"), e.getOriginalMessage());
    }

    @Test
    void checkOfAFreshBackupIsOk() throws Exception {
        initialHistory();
        push(fetch(), backup1, false);
        List<VerificationRow> rows = check(backup1, Duration.ofHours(1));
        assertEquals(List.of(new VerificationRow("git", "freshness backup-1", VerificationStatus.OK,
                "2 branch(es), 2 tag(s) equal")), rows.subList(0, 1));
        assertEquals("integrity backup-1", rows.get(1).check());
        assertEquals(VerificationStatus.OK, rows.get(1).status(), rows.get(1).evidence());
        assertTrue(rows.get(1).evidence().startsWith("4 ref(s) fetched with "), rows.get(1).evidence());
    }

    @Test
    void checkOfABackupBehindByMoreThanMaxLagIsStale() throws Exception {
        initialHistory();
        push(fetch(), backup1, false);
        GitCli.commit(work, "a.txt", "later", "2026-01-01T03:00:00Z");
        GitCli.commit(work, "a.txt", "later still", "2026-01-01T03:20:00Z");
        GitCli.run(work, "push", "-q", "origin", "main");

        List<VerificationRow> rows = check(backup1, Duration.ofHours(1));
        assertEquals(VerificationStatus.STALE, rows.get(0).status());
        // main was at 00:10 on the backup, 03:20 on the primary.
        assertEquals("main 2 commit(s) / 3h 10m behind (max lag 1h)", rows.get(0).evidence());
        assertEquals(VerificationStatus.OK, rows.get(1).status(), rows.get(1).evidence());

        List<VerificationRow> lenient = check(backup1, Duration.ofHours(4));
        assertEquals(VerificationStatus.OK, lenient.get(0).status());
        assertEquals("2 branch(es) within 4h: main 2 commit(s) / 3h 10m behind; 2 tag(s) equal",
                lenient.get(0).evidence());
    }

    @Test
    void checkOfAnUnreachableBackupIsMissing() throws Exception {
        initialHistory();
        push(fetch(), backup2, false);
        daemonB.stop();
        try {
            List<VerificationRow> rows = check(backup2, Duration.ofHours(1));
            assertEquals(2, rows.size());
            for (VerificationRow row : rows) {
                assertEquals(VerificationStatus.MISSING, row.status(), row.toString());
                assertTrue(row.evidence().startsWith("unreachable: "), row.evidence());
                assertTrue(row.evidence().contains(backup2.url()), row.evidence());
            }
        } finally {
            daemonB.start();
        }
    }

    @Test
    void checkOfABackupWithADeletedObjectIsCorrupt() throws Exception {
        initialHistory();
        push(fetch(), backup2, false);
        // The pushed objects are loose in the backup (receive.unpackLimit is high): delete one blob.
        String blob = GitCli.run(backup2Dir, "rev-parse", "main~1:a.txt").trim();
        Path file = backup2Dir.resolve("objects").resolve(blob.substring(0, 2)).resolve(blob.substring(2));
        assertTrue(Files.exists(file), "expected a loose object " + file);
        Files.delete(file);

        List<VerificationRow> rows = check(backup2, Duration.ofHours(1));
        assertEquals("integrity backup-2", rows.get(1).check());
        assertEquals(VerificationStatus.CORRUPT, rows.get(1).status(), rows.get(1).evidence());
        assertTrue(rows.get(1).evidence().startsWith("fetch of all refs failed: "), rows.get(1).evidence());
        assertFalse(rows.get(1).evidence().chars().anyMatch(Character::isISOControl), rows.get(1).evidence());
    }

    @Test
    void localPathAndFileUrlRemotesWork() throws Exception {
        initialHistory();
        Path primaryDir = root.resolve("a").resolve(primary.url().substring(primary.url().lastIndexOf('/') + 1));
        Path localBackup = Files.createDirectories(root.resolve("local-" + plan + ".git"));
        GitCli.run(localBackup, "init", "-q", "--bare");
        GitRemote localPrimary = remote("origin", primaryDir.toString());
        GitRemote fileBackup = remote("local", localBackup.toUri().toString());
        assertTrue(fileBackup.url().startsWith("file:/"), fileBackup.url());

        GitRefs refs = activities.fetchPrimary(new GitFetchRequest(plan, localPrimary));
        GitPushResult r = activities.pushBackup(new GitPushRequest(plan, localPrimary, fileBackup, refs.refs(),
                false));
        assertEquals(4, r.created().size());
        assertTrue(r.ok(), r.toString());
        assertEquals(GitCli.lsRemote(work, primary.url()), GitCli.lsRemote(work, localBackup.toString()));
    }

    private List<VerificationRow> check(GitRemote backup, Duration maxLag) {
        List<VerificationRow> rows = activities.checkBackup(new GitCheckRequest(plan, primary, backup, maxLag));
        assertEquals(2, rows.size());
        assertEquals("freshness " + backup.name(), rows.get(0).check());
        return rows;
    }

    static GitRemote remote(String name, String url) {
        return new GitRemote(name, url, null, null, null, null);
    }
}
