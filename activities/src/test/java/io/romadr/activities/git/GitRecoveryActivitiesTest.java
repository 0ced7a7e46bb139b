package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.process.HostCommandRunner;
import io.romadr.scenario.gitloss.GitAssessRequest;
import io.romadr.scenario.gitloss.GitCandidate;
import io.romadr.scenario.gitloss.GitProbe;
import io.romadr.scenario.gitloss.GitProbeRequest;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.romadr.scenario.gitloss.GitRestoreRequest;
import io.romadr.scenario.gitloss.GitRestoreResult;
import io.romadr.scenario.gitloss.GitVerifyRequest;
import io.romadr.scenario.gitloss.GitVerifyResult;
import io.romadr.plan.CommandStep;
import io.romadr.plan.GitRemote;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4 against a real {@code git daemon}: the primary ("origin") and a backup ("backup-1") are bare
 * repositories it serves; histories, force-pushes and developer bundles are made with the git CLI, and results are
 * read back with {@code git ls-remote} / {@code git log}, independently of JGit.
 */
@org.junit.jupiter.api.Tag("integration")
class GitRecoveryActivitiesTest {
    private static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path root;
    private static GitDaemon daemon;

    private String plan;
    private Path work;
    private Path primaryDir;
    private Path workRoot;
    private GitRemote primary;
    private GitRemote backup;
    private JGitRecoveryActivities activities;
    /** Commits on main, oldest first: c1..c4; v1 (annotated) tags c2, dev branches off c2 with one commit. */
    private List<String> main;

    @BeforeAll
    static void startDaemon() throws Exception {
        daemon = GitDaemon.start(Files.createDirectories(root.resolve("served")));
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        daemon.close();
    }

    @BeforeEach
    void newRepositories() throws Exception {
        int n = SEQ.incrementAndGet();
        plan = "plan" + n;
        primaryDir = daemon.createBare("primary" + n);
        daemon.createBare("backup" + n);
        primary = remote("origin", daemon.url("primary" + n));
        backup = remote("backup-1", daemon.url("backup" + n));
        work = Files.createDirectories(root.resolve("work" + n));
        GitCli.run(work, "init", "-q");
        GitCli.run(work, "remote", "add", "origin", primary.url());
        workRoot = root.resolve("activities" + n);
        activities = new JGitRecoveryActivities(workRoot, System::getenv, new HostCommandRunner());
    }

    /** Every scratch repository is gone after each call (nothing leaks under the work root). */
    @AfterEach
    void scratchRepositoriesAreDeleted() throws Exception {
        Path scratch = workRoot.resolve("scratch");
        if (Files.isDirectory(scratch)) {
            try (Stream<Path> left = Files.list(scratch)) {
                assertEquals(List.of(), left.toList(), "scratch repositories left behind");
            }
        }
    }

    private static GitRemote remote(String name, String url) {
        return new GitRemote(name, url, null, null, null, null);
    }

    /** main c1..c4 with annotated tag v1 on c2, dev (c2 + one commit) with lightweight tag dev-1; on the primary. */
    private void history() throws Exception {
        String c1 = GitCli.commit(work, "a.txt", "one", "2026-01-01T00:00:00Z");
        String c2 = GitCli.commit(work, "a.txt", "one two", "2026-01-01T00:10:00Z");
        GitCli.run(work, "tag", "-a", "v1", "-m", "release 1");
        GitCli.run(work, "checkout", "-q", "-b", "dev");
        GitCli.commit(work, "b.txt", "dev work", "2026-01-01T00:15:00Z");
        GitCli.run(work, "tag", "dev-1");
        GitCli.run(work, "checkout", "-q", "main");
        String c3 = GitCli.commit(work, "a.txt", "one two three", "2026-01-01T00:20:00Z");
        String c4 = GitCli.commit(work, "a.txt", "one two three four", "2026-01-01T00:30:00Z");
        main = List.of(c1, c2, c3, c4);
        GitCli.run(work, "push", "-q", "origin", "main", "dev", "v1", "dev-1");
    }

    /** The backup as the mirror leaves it: every branch and tag of the primary. */
    private void mirrorToBackup() throws Exception {
        GitCli.run(work, "push", "-q", backup.url(), "refs/heads/*:refs/heads/*", "refs/tags/*:refs/tags/*");
        assertEquals(GitCli.lsRemote(work, primary.url()), GitCli.lsRemote(work, backup.url()));
    }

    /** The primary's history destroyed: main force-pushed back to c1. */
    private void forcePushPrimaryTo(String commit) throws Exception {
        GitCli.run(work, "push", "-q", "-f", "origin", commit + ":refs/heads/main");
        assertEquals(commit, GitCli.lsRemote(work, primary.url()).get("refs/heads/main"));
    }

    private Path bundle(String name, String... revs) throws Exception {
        Path file = root.resolve(plan + "-" + name);
        String[] args = Stream.concat(Stream.of("bundle", "create", "-q", file.toString()), Arrays.stream(revs))
                .toArray(String[]::new);
        GitCli.run(work, args);
        return file;
    }

    private List<GitCandidate> assess(List<GitRemote> remotes, List<Path> bundles, List<String> knownGood) {
        return activities.assessCandidates(new GitAssessRequest(plan, remotes,
                bundles.stream().map(Path::toString).toList(), knownGood));
    }

    private static GitCandidate named(List<GitCandidate> candidates, String name) {
        return candidates.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no candidate " + name + " in " + candidates));
    }

    private GitRestoreResult restoreFromBackup(Map<String, String> refs) {
        return activities.restorePrimary(new GitRestoreRequest(plan, primary, backup, null, refs, false, List.of()));
    }

    private GitVerifyResult verify(Map<String, String> refs, CommandStep... steps) {
        return activities.verifyPrimary(new GitVerifyRequest(plan, primary, backup, null, refs, "main",
                List.of(steps)));
    }

    private static CommandStep step(String name, String... command) {
        return new CommandStep(name, List.of(command), null, null, Duration.ofSeconds(30));
    }

    // ---- probe -------------------------------------------------------------------------------------------------

    @Test
    void probeOfAReachableRemoteListsItsBranchesAndTags() throws Exception {
        history();
        GitProbe p = activities.probeRemote(new GitProbeRequest(plan, primary));
        assertTrue(p.reachable(), p.problem());
        assertEquals("", p.problem());
        assertEquals(GitCli.lsRemote(work, primary.url()), p.refs());
        assertEquals(List.of("refs/heads/dev", "refs/heads/main", "refs/tags/dev-1", "refs/tags/v1"),
                List.copyOf(p.refs().keySet()));
    }

    @Test
    void probeOfAStoppedServerIsUnreachableWithConnectionRefused() throws Exception {
        history();
        daemon.stop();
        try {
            GitProbe p = activities.probeRemote(new GitProbeRequest(plan, primary));
            assertFalse(p.reachable());
            assertTrue(p.refs().isEmpty());
            assertTrue(p.problem().startsWith("connection refused: "), p.problem());
        } finally {
            daemon.start();
        }
        assertTrue(activities.probeRemote(new GitProbeRequest(plan, primary)).reachable());
    }

    @Test
    void probeOfADeletedRepositoryIsUnreachableWithRepositoryNotFound() throws Exception {
        history();
        MirrorCache.deleteTree(primaryDir);
        GitProbe p = activities.probeRemote(new GitProbeRequest(plan, primary));
        assertFalse(p.reachable());
        assertTrue(p.problem().startsWith("repository not found: "), p.problem());
        // The backup on the same server still answers.
        mirrorToBackupFromWork();
        assertTrue(activities.probeRemote(new GitProbeRequest(plan, backup)).reachable());
    }

    private void mirrorToBackupFromWork() throws Exception {
        GitCli.run(work, "push", "-q", backup.url(), "main");
    }

    @Test
    void probeWithAnUnsetCredentialVariableFailsNamingTheVariable() {
        GitRemote hosted = new GitRemote("hosted", "http://127.0.0.1:9/roma.git", null, "ROMA_TEST_TOKEN_UNSET",
                null, null);
        JGitRecoveryActivities noEnv = new JGitRecoveryActivities(workRoot, name -> null,
                new HostCommandRunner());
        ApplicationFailure e = assertThrows(ApplicationFailure.class,
                () -> noEnv.probeRemote(new GitProbeRequest(plan, hosted)));
        assertTrue(e.isNonRetryable());
        assertTrue(e.getOriginalMessage().contains("ROMA_TEST_TOKEN_UNSET"), e.getOriginalMessage());
    }

    // ---- assess ------------------------------------------------------------------------------------------------

    @Test
    void forcePushedPrimaryLacksTheKnownGoodCommitAndTheBackupContainsIt() throws Exception {
        history();
        GitCli.run(work, "tag", "latest", main.get(3));
        GitCli.run(work, "push", "-q", "origin", "latest");
        mirrorToBackup();
        Map<String, String> backupRefs = GitCli.lsRemote(work, backup.url());
        // main goes back to c1; the tag "latest" still points at c4, which no branch of the primary holds now.
        forcePushPrimaryTo(main.get(0));

        List<GitCandidate> candidates = assess(List.of(primary, backup), List.of(), List.of(main.get(3)));

        assertEquals(List.of("origin", "backup-1"), candidates.stream().map(GitCandidate::name).toList());
        GitCandidate p = named(candidates, "origin");
        GitCandidate b = named(candidates, "backup-1");
        assertEquals(List.of(main.get(3)), p.missingKnownGood());
        assertEquals(List.of(), b.missingKnownGood());
        assertEquals(List.of("origin"), b.contains());
        assertEquals(List.of(), p.contains(), "a tag on c4 does not make the primary's branches hold c4");
        assertEquals(backupRefs, b.refs());
        assertEquals(GitCli.lsRemote(work, primary.url()), p.refs());
        assertEquals("remote", b.source());
        assertEquals(backup.url(), b.location());
        // backup: c1..c4 plus dev's commit; primary after the force-push: main at c1 and dev (c1, c2, dev).
        assertEquals(5, b.commitCount());
        assertEquals(3, p.commitCount());
        assertTrue(b.problem().isEmpty() && p.problem().isEmpty());
    }

    @Test
    void aDeveloperBundleWithTheNewestCommitsContainsTheBackupThatIsBehind() throws Exception {
        history();
        // The backup was last mirrored at c3 (dev and its tag included); the primary then got c4, and a developer
        // has c5 on top of it that was never pushed. Then the primary is lost.
        GitCli.run(work, "push", "-q", backup.url(), main.get(2) + ":refs/heads/main", "dev", "v1", "dev-1");
        String c5 = GitCli.commit(work, "c.txt", "five", "2026-01-01T00:40:00Z");
        Path devBundle = bundle("dev.bundle", "--all");
        MirrorCache.deleteTree(primaryDir);

        // Known-good ids may be abbreviated, as people copy them from git log --oneline.
        List<GitCandidate> candidates = assess(List.of(primary, backup), List.of(devBundle),
                List.of(main.get(3), main.get(1).substring(0, 10)));

        GitCandidate lost = named(candidates, "origin");
        assertTrue(lost.problem().startsWith("fetch failed: repository not found: "), lost.problem());
        assertTrue(lost.refs().isEmpty());
        GitCandidate b = named(candidates, "backup-1");
        GitCandidate d = named(candidates, "bundle:" + devBundle.getFileName());
        assertEquals("bundle", d.source());
        assertEquals("", d.problem());
        assertEquals(List.of(main.get(3)), b.missingKnownGood());
        assertEquals(List.of(), d.missingKnownGood());
        assertEquals(List.of("backup-1"), d.contains());
        assertEquals(List.of(), b.contains());
        assertEquals(c5, d.refs().get("refs/heads/main"));
        assertEquals(List.of("refs/heads/dev", "refs/heads/main", "refs/tags/dev-1", "refs/tags/v1"),
                List.copyOf(d.refs().keySet()), "the bundle's own names, not the scratch repository's");
        assertEquals(6, d.commitCount());
        assertEquals(4, b.commitCount());
    }

    @Test
    void aCorruptBundleIsACandidateWithAProblemAndTheOthersAreStillAssessed() throws Exception {
        history();
        mirrorToBackup();
        Path good = bundle("good.bundle", "--all");
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = root.resolve(plan + "-truncated.bundle");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 40));
        Path notABundle = Files.writeString(root.resolve(plan + "-notes.bundle"), "just some text\n");
        // An incremental bundle whose base commit exists only on this developer's machine.
        GitCli.run(work, "checkout", "-q", "-b", "local-only");
        String base = GitCli.commit(work, "d.txt", "local", "2026-01-01T00:50:00Z");
        GitCli.commit(work, "d.txt", "local 2", "2026-01-01T00:55:00Z");
        Path incremental = bundle("incremental.bundle", base + "..local-only");
        Path absent = root.resolve(plan + "-absent.bundle");

        List<GitCandidate> candidates = assess(List.of(backup), List.of(truncated, good, notABundle, incremental,
                absent), List.of(main.get(3)));

        assertEquals(6, candidates.size());
        for (Path bad : List.of(truncated, notABundle, incremental, absent)) {
            GitCandidate c = named(candidates, "bundle:" + bad.getFileName());
            assertFalse(c.problem().isEmpty(), c.name());
            assertTrue(c.problem().startsWith("bundle " + bad), c.problem());
            assertTrue(c.refs().isEmpty(), c.name() + " " + c.refs());
        }
        assertTrue(named(candidates, "bundle:" + incremental.getFileName()).problem().toLowerCase()
                .contains("prerequisite"), named(candidates, "bundle:" + incremental.getFileName()).problem());
        GitCandidate b = named(candidates, "backup-1");
        GitCandidate g = named(candidates, "bundle:" + good.getFileName());
        assertEquals("", b.problem());
        assertEquals(List.of(), b.missingKnownGood());
        assertEquals(List.of("bundle:" + good.getFileName()), b.contains());
        assertEquals(List.of("backup-1"), g.contains());
        assertEquals(5, g.commitCount());
    }

    @Test
    void aRemoteNamedLikeABundleKeepsItsOwnRefs() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> backupRefs = GitCli.lsRemote(work, backup.url());
        GitCli.run(work, "checkout", "-q", "-b", "topic");
        GitCli.commit(work, "e.txt", "topic", "2026-01-01T01:00:00Z");
        Path topic = bundle("topic.bundle", "topic");
        GitRemote named = remote("bundle-1", backup.url());

        List<GitCandidate> candidates = assess(List.of(named), List.of(topic), List.of());

        assertEquals(backupRefs, named(candidates, "bundle-1").refs());
        assertEquals(List.of("refs/heads/topic"), List.copyOf(named(candidates, "bundle:" + topic.getFileName())
                .refs().keySet()));
    }

    // ---- restore -----------------------------------------------------------------------------------------------

    @Test
    void aRestoreWithoutAnyBranchIsRefusedAndThePrimaryKeepsItsRefs() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> before = GitCli.lsRemote(work, primary.url());
        ApplicationFailure e = assertThrows(ApplicationFailure.class,
                () -> restoreFromBackup(Map.of("refs/tags/v1", before.get("refs/tags/v1"))));
        assertTrue(e.isNonRetryable());
        assertTrue(e.getOriginalMessage().contains("names no branch"), e.getOriginalMessage());
        assertEquals(before, GitCli.lsRemote(work, primary.url()));
    }

    @Test
    void aDeletedPrimaryIsRecreatedByTheCommandAndGetsTheBundlesHistory() throws Exception {
        history();
        mirrorToBackup();
        String c5 = GitCli.commit(work, "c.txt", "five", "2026-01-01T00:40:00Z");
        Path devBundle = bundle("dev.bundle", "--all");
        MirrorCache.deleteTree(primaryDir);
        assertFalse(activities.probeRemote(new GitProbeRequest(plan, primary)).reachable());
        GitCandidate chosen = named(assess(List.of(backup), List.of(devBundle), List.of(main.get(3))),
                "bundle:" + devBundle.getFileName());

        CommandStep recreate = step("git init", "git", "init", "-q", "--bare", primaryDir.toString());
        GitRestoreResult r = activities.restorePrimary(new GitRestoreRequest(plan, primary, null,
                devBundle.toString(), chosen.refs(), true, List.of(recreate)));

        assertEquals("", r.problem());
        assertTrue(r.recreated());
        assertEquals(List.copyOf(chosen.refs().keySet()), r.updated());
        assertEquals(0, r.unchanged());
        assertEquals(chosen.refs(), GitCli.lsRemote(work, primary.url()));
        assertEquals(c5, GitCli.lsRemote(work, primary.url()).get("refs/heads/main"));
    }

    @Test
    void aPrimaryStillUnreachableAfterTheRecreateCommandsFailsRetryably() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> refs = GitCli.lsRemote(work, backup.url());
        MirrorCache.deleteTree(primaryDir);
        CommandStep doesNothing = step("no-op", "true");
        GitRemoteUnreachableException e = assertThrows(GitRemoteUnreachableException.class,
                () -> activities.restorePrimary(new GitRestoreRequest(plan, primary, backup, null, refs, true,
                        List.of(doesNothing))));
        assertTrue(e.getMessage().startsWith("primary remote origin (" + primary.url()
                + ") still unreachable after running the recreate commands: "), e.getMessage());
    }

    @Test
    void restoreRewritesAForcePushedPrimaryAndASecondRestoreChangesNothing() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> refs = GitCli.lsRemote(work, backup.url());
        forcePushPrimaryTo(main.get(0));
        // Also a branch the chosen history does not have, and a tag moved elsewhere.
        GitCli.run(work, "push", "-q", "origin", main.get(0) + ":refs/heads/junk");
        GitCli.run(work, "push", "-q", "-f", "origin", main.get(0) + ":refs/tags/dev-1");

        GitRestoreResult first = restoreFromBackup(refs);

        assertEquals("", first.problem());
        assertFalse(first.recreated());
        assertEquals(List.of("deleted refs/heads/junk", "refs/heads/main", "refs/tags/dev-1"), first.updated());
        assertEquals(2, first.unchanged(), "dev and v1 were already right");
        assertEquals(refs, GitCli.lsRemote(work, primary.url()));

        GitRestoreResult second = restoreFromBackup(refs);
        assertEquals(List.of(), second.updated());
        assertEquals(refs.size(), second.unchanged());
        assertEquals("", second.problem());
        assertEquals(refs, GitCli.lsRemote(work, primary.url()));
    }

    // ---- verify ------------------------------------------------------------------------------------------------

    @Test
    void afterARestoreTheCloneMatchesTheSourceAndTheVerifyCommandsPass() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> refs = GitCli.lsRemote(work, backup.url());
        forcePushPrimaryTo(main.get(0));
        restoreFromBackup(refs);

        GitVerifyResult v = verify(refs, step("files checked out", "sh", "-c", "grep -q four a.txt"),
                step("on main", "sh", "-c", "test \"$(git rev-parse --abbrev-ref HEAD)\" = main"));

        assertTrue(v.ok(), v.toString());
        assertEquals("", v.problem());
        long cliCount = Long.parseLong(GitCli.run(work, "rev-list", "--count", "main").trim());
        assertEquals(cliCount, v.commitCount());
        assertEquals(cliCount, v.expectedCommitCount());
        List<String> cliLast = GitCli.run(work, "log", "-10", "--format=%H %s", "main").lines().toList();
        assertEquals(cliLast, v.lastCommits());
        assertEquals(cliLast, v.expectedLastCommits());
        assertEquals(List.of(), v.missingTags());
        assertEquals(List.of("files checked out: OK", "on main: OK"), v.commands());
    }

    @Test
    void aFailingVerifyCommandMakesTheVerificationFailWithItsExitCodeAndOutput() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> refs = GitCli.lsRemote(work, backup.url());

        GitVerifyResult v = verify(refs, step("build", "true"),
                step("test", "sh", "-c", "echo 'compiling'; echo 'test suite broken' >&2; exit 3"));

        assertFalse(v.ok());
        assertEquals(v.expectedCommitCount(), v.commitCount(), "the history itself matches");
        assertEquals(v.expectedLastCommits(), v.lastCommits());
        assertEquals("build: OK", v.commands().get(0));
        assertTrue(v.commands().get(1).startsWith("test: FAILED exit 3: "), v.commands().get(1));
        assertTrue(v.commands().get(1).contains("test suite broken"), v.commands().get(1));
    }

    @Test
    void aTagMissingFromThePrimaryIsReported() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> refs = GitCli.lsRemote(work, backup.url());
        GitCli.run(work, "push", "-q", "origin", ":refs/tags/v1");

        GitVerifyResult v = verify(refs);

        assertFalse(v.ok());
        assertEquals(List.of("refs/tags/v1"), v.missingTags());
        assertEquals(v.expectedCommitCount(), v.commitCount());
    }

    @Test
    void aPrimaryBehindTheSourceFailsTheComparison() throws Exception {
        history();
        mirrorToBackup();
        Map<String, String> refs = GitCli.lsRemote(work, backup.url());
        forcePushPrimaryTo(main.get(1));

        GitVerifyResult v = verify(refs);

        assertFalse(v.ok());
        assertEquals(2, v.commitCount());
        assertEquals(4, v.expectedCommitCount());
        assertEquals(main.get(1), v.lastCommits().get(0).split(" ")[0]);
        assertEquals(main.get(3), v.expectedLastCommits().get(0).split(" ")[0]);
    }

    // ---- inside an activity ------------------------------------------------------------------------------------

    @Test
    void insideAnActivityAssessAndRestoreHeartbeat() throws Exception {
        history();
        mirrorToBackup();
        forcePushPrimaryTo(main.get(0));
        TestActivityEnvironment env = TestActivityEnvironment.newInstance();
        try {
            List<String> beats = new CopyOnWriteArrayList<>();
            env.setActivityHeartbeatListener(String.class, beats::add);
            env.registerActivitiesImplementations(activities);
            GitRecoveryActivities stub = env.newActivityStub(GitRecoveryActivities.class, ActivityOptions
                    .newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setHeartbeatTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                    .build());
            List<GitCandidate> candidates = stub.assessCandidates(new GitAssessRequest(plan,
                    List.of(primary, backup), List.of(), List.of(main.get(3))));
            GitCandidate b = named(candidates, "backup-1");
            assertEquals(List.of("origin"), b.contains());
            GitRestoreResult r = stub.restorePrimary(new GitRestoreRequest(plan, primary, backup, null, b.refs(),
                    false, List.of()));
            assertEquals(List.of("refs/heads/main"), r.updated());
            assertTrue(beats.stream().anyMatch(s -> s.startsWith("assess " + plan + ": ")), beats.toString());
            assertTrue(beats.stream().anyMatch(s -> s.startsWith("restore origin: ")), beats.toString());
        } finally {
            env.close();
        }
    }
}
