package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.activities.git.JGitMirrorActivities;
import io.romadr.activities.git.JGitRecoveryActivities;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.plan.PlanRepository;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4 through the CLI on real {@code git daemon} remotes: {@code roma-dr recover git --wait} waits for
 * {@code roma-dr approve}; a force-pushed primary is restored from the backup; a deleted primary whose backup is
 * behind is recreated by the plan's command and restored from a developer's bundle, which holds the newest commits.
 */
@org.junit.jupiter.api.Tag("integration")
class GitRecoveryEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-git-recovery-e2e";
    static EmbeddedStack stack;
    static GitDaemon primary;
    static GitDaemon backup;
    static Path root;
    static Path plans;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        plans = Files.createDirectories(root.resolve("plans"));
        primary = stack.closeLater(GitDaemon.start(Files.createDirectories(root.resolve("srv-primary"))));
        backup = stack.closeLater(GitDaemon.start(Files.createDirectories(root.resolve("srv-backup"))));
        RomaWorker.Activities activities = new RomaWorker.Activities(
                new PlanDirectoryActivities(new PlanRepository(plans)),
                null, new io.romadr.activities.backup.DockerBackupActivities(
                        io.romadr.activities.docker.DockerClients.fromEnvironment(), GitMirrorEndToEndTest::store),
                null, new JGitMirrorActivities(root.resolve("git-cache"), Map.<String, String>of()::get),
                null, null, new JGitRecoveryActivities(root.resolve("git-work"), Map.<String, String>of()::get,
                        new HostCommandRunner()),
                null);
        stack.startWorker(activities);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static CliRun cli(String... args) {
        return stack.cli(args);
    }

    static String url(GitDaemon daemon, String repo) {
        return "git://127.0.0.1:" + daemon.port() + "/" + repo + ".git";
    }

    /** A plan, bare repositories {@code repo} on both servers, a working clone with {@code commits} commits pushed. */
    private static Path setUp(String plan, String repo, int commits) throws Exception {
        return setUp(plan, repo, commits, "5m");
    }

    private static Path setUp(String plan, String repo, int commits, String approvalTimeout) throws Exception {
        GitCli.run(root.resolve("srv-primary"), "init", "-q", "--bare", repo + ".git");
        GitCli.run(root.resolve("srv-backup"), "init", "-q", "--bare", repo + ".git");
        Path primaryDir = root.resolve("srv-primary").resolve(repo + ".git");
        Files.writeString(plans.resolve(plan + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                    recovery:
                      recreate: [{ name: init primary, command: [git, init, -q, --bare, "%s"] }]
                      verify: [{ name: readme present, command: [test, -s, README] }]
                      approvalTimeout: %s
                """.formatted(plan, plan, root.resolve("store").toUri(), url(primary, repo), url(backup, repo),
                primaryDir, approvalTimeout));
        Path work = root.resolve("work-" + repo);
        GitCli.run(root, "clone", "-q", url(primary, repo), work.toString());
        for (int i = 1; i <= commits; i++) {
            GitCli.commit(work, i == 1 ? "README" : "log.txt", "line " + i + "\n", null);
        }
        GitCli.run(work, "tag", "v1");
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main", "v1");
        CliRun mirror = cli("backup", "git", "--plan", plan, "--wait");
        assertEquals(0, mirror.exit(), mirror::toString);
        return work;
    }

    /** Starts {@code recover git --wait}, approves as soon as the workflow asks, returns the waiting CLI's result. */
    private static CliRun recoverWithApproval(String plan, String... extra) throws Exception {
        String id = RecoveryStarter.workflowId("git-loss", plan);
        String[] args = new String[]{"recover", "git", "--plan", plan, "--wait"};
        String[] all = new String[args.length + extra.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        CompletableFuture<CliRun> recovery = CompletableFuture.supplyAsync(() -> cli(all));
        Instant deadline = Instant.now().plusSeconds(60);
        CliRun approve;
        do {
            if (Instant.now().isAfter(deadline)) {
                fail("no approval was pending within 60 s: " + (recovery.isDone() ? recovery.get() : "still running"));
            }
            // Refused (exit 1) until the workflow has chosen a source and asks; polled, not slept on blindly.
            approve = cli("approve", id, "--as", "oncall-alice", "--reason", "backup checked");
            if (approve.exit() != 0) {
                Thread.sleep(200); // poll interval
            }
        } while (approve.exit() != 0);
        assertTrue(approve.out().contains("approved restore-primary by oncall-alice"), approve::toString);
        return recovery.get(120, TimeUnit.SECONDS);
    }

    @Test
    void aForcePushedPrimaryIsRestoredFromTheBackupAfterApproval() throws Exception {
        Path work = setUp("gitforce", "force", 5);
        Map<String, String> good = GitCli.lsRemote(root, url(backup, "force"));
        GitCli.run(work, "push", "-q", "--force", "origin", "HEAD~3:refs/heads/main");

        CliRun early = cli("approve", "no-such-workflow-" + UUID.randomUUID(), "--reason", "x");
        assertEquals(4, early.exit(), early::toString);

        CliRun recovered = recoverWithApproval("gitforce");
        assertEquals(0, recovered.exit(), recovered::toString);
        assertTrue(recovered.out().contains("(backup checked) — Force-update the primary origin"), recovered::toString);
        assertTrue(recovered.out().contains("| backup (chosen) |"), recovered::toString);
        assertTrue(recovered.out().contains("- **Approval:** approved by oncall-alice (backup checked)"),
                recovered::toString);
        assertTrue(recovered.out().contains("readme present: OK"), recovered::toString);
        assertEquals(good, GitCli.lsRemote(root, url(primary, "force")));
    }

    @Test
    void anUnreachablePrimaryFailsTheRestoreClearlyAfterApproval() throws Exception {
        setUp("gitdown", "down", 2);
        primary.stop();
        try {
            CliRun failed = recoverWithApproval("gitdown");
            assertEquals(1, failed.exit(), failed::toString);
            assertTrue(failed.out().contains("| origin | " + url(primary, "down") + " | NO | 0 | connection refused"),
                    failed::toString);
            assertTrue(failed.out().contains("| backup (chosen) |"), failed::toString);
            assertTrue(failed.out().lines().anyMatch(l -> l.startsWith("Git recovery failed at restore: ")
                    && l.contains("origin")), failed::toString);
        } finally {
            primary.start();
        }
    }

    @Test
    void aDeletedPrimaryIsRecreatedAndRestoredFromADeveloperBundleWithTheNewestCommits() throws Exception {
        Path work = setUp("gitgone", "gone", 3);
        // Two more commits reached only the developer's machine and the (now lost) primary, not the backup.
        GitCli.commit(work, "log.txt", "line 4\n", null);
        GitCli.commit(work, "log.txt", "line 5\n", null);
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        String newest = GitCli.run(work, "rev-parse", "HEAD").trim();
        Path bundle = root.resolve("alice.bundle");
        GitCli.run(work, "bundle", "create", bundle.toString(), "--all");
        FileUtils.delete(root.resolve("srv-primary/gone.git").toFile(), FileUtils.RECURSIVE);

        CliRun recovered = recoverWithApproval("gitgone",
                "--bundle", bundle.toString(), "--known-good", newest);
        assertEquals(0, recovered.exit(), recovered::toString);
        assertTrue(recovered.out().contains("(backup checked) — Recreate the primary origin"), recovered::toString);
        assertTrue(recovered.out().contains("bundle:alice.bundle (chosen)"), recovered::toString);
        assertTrue(recovered.out().contains("backup: rejected: does not contain known-good commit(s) "
                + newest.substring(0, 10)), recovered::toString);
        assertTrue(recovered.out().contains("primary recreated"), recovered::toString);
        assertEquals(newest, GitCli.lsRemote(root, url(primary, "gone")).get("refs/heads/main"));
    }

    @Test
    void aRejectionFromTheCliLeavesTheForcePushedPrimaryAsItIs() throws Exception {
        Path work = setUp("gitreject", "reject", 4);
        GitCli.run(work, "push", "-q", "--force", "origin", "HEAD~2:refs/heads/main");
        Map<String, String> damaged = GitCli.lsRemote(root, url(primary, "reject"));
        String id = RecoveryStarter.workflowId("git-loss", "gitreject");
        CompletableFuture<CliRun> recovery = CompletableFuture.supplyAsync(() -> cli("recover", "git", "--plan",
                "gitreject", "--wait"));
        CliRun noReason = cli("approve", id, "--reject");
        assertEquals(2, noReason.exit(), noReason::toString);
        Instant deadline = Instant.now().plusSeconds(60);
        CliRun reject;
        do {
            assertTrue(Instant.now().isBefore(deadline), "no approval was pending within 60 s");
            reject = cli("approve", id, "--reject", "--as", "oncall-bob", "--reason", "backup misses the hotfix");
            if (reject.exit() != 0) {
                Thread.sleep(200); // poll interval
            }
        } while (reject.exit() != 0);
        CliRun failed = recovery.get(120, TimeUnit.SECONDS);
        assertEquals(1, failed.exit(), failed::toString);
        assertTrue(failed.out().contains("- **Approval:** REJECTED by oncall-bob (backup misses the hotfix)"),
                failed::toString);
        assertTrue(failed.out().contains("the primary was not touched"), failed::toString);
        assertEquals(damaged, GitCli.lsRemote(root, url(primary, "reject")));
    }

    @Test
    void noDecisionWithinTheApprovalTimeoutFailsCleanly() throws Exception {
        Path work = setUp("gittimeout", "timeout", 3, "2s");
        GitCli.run(work, "push", "-q", "--force", "origin", "HEAD~1:refs/heads/main");
        Map<String, String> damaged = GitCli.lsRemote(root, url(primary, "timeout"));
        CliRun failed = cli("recover", "git", "--plan", "gittimeout", "--wait");
        assertEquals(1, failed.exit(), failed::toString);
        assertTrue(failed.out().contains("- **Approval:** TIMED OUT: no decision within"), failed::toString);
        assertEquals(damaged, GitCli.lsRemote(root, url(primary, "timeout")));
    }
}
