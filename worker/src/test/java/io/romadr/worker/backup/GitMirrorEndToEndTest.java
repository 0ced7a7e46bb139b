package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.activities.git.JGitMirrorActivities;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roma-dr backup git} through the CLI, the workflow and JGit against three real {@code git daemon}s (a primary
 * and two backups on separate servers, so one can be stopped): mirror, an outage of one backup that fails only its
 * row, catching up, and a force-pushed primary that cannot rewrite the backups.
 */
@org.junit.jupiter.api.Tag("integration")
class GitMirrorEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-git-e2e";
    static final String PLAN = "mirrored";
    static EmbeddedStack stack;
    static GitDaemon primary;
    static GitDaemon backup1;
    static GitDaemon backup2;
    static Path root;
    static Path work;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        primary = stack.closeLater(serve("primary"));
        backup1 = stack.closeLater(serve("backup-1"));
        backup2 = stack.closeLater(serve("backup-2"));
        work = root.resolve("work");
        GitCli.run(root, "clone", "-q", url(primary), work.toString());
        GitCli.commit(work, "README", "roma\n", null);
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        GitCli.run(work, "checkout", "-q", "-b", "feature");
        GitCli.commit(work, "feature.txt", "wip\n", null);
        GitCli.run(work, "tag", "-a", "-m", "release 1", "v1");
        GitCli.run(work, "push", "-q", "origin", "feature", "v1");
        GitCli.run(work, "checkout", "-q", "main");

        Path plans = Files.createDirectories(root.resolve("plans"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: mirrored
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups:
                      - { name: backup-1, url: "%s" }
                      - { name: backup-2, url: "%s" }
                """.formatted(PLAN, root.resolve("store").toUri(), url(primary), url(backup1), url(backup2)));
        RomaWorker.Activities activities = new RomaWorker.Activities(
                // The backup activities keep the last good mirror in the plan's store.
                new PlanDirectoryActivities(new PlanRepository(plans)), null,
                new io.romadr.activities.backup.DockerBackupActivities(
                        io.romadr.activities.docker.DockerClients.fromEnvironment(), GitMirrorEndToEndTest::store),
                null,
                new JGitMirrorActivities(root.resolve("git-cache"), Map.<String, String>of()::get), null, null);
        stack.startWorker(activities);
    }

    /** One git daemon per remote, each serving one bare repository {@code <name>.git}. */
    private static GitDaemon serve(String name) throws Exception {
        Path base = Files.createDirectories(root.resolve("srv-" + name));
        GitCli.run(base, "init", "-q", "--bare", "repo.git");
        return GitDaemon.start(base);
    }

    static io.romadr.activities.objectstore.ObjectStore store(io.romadr.plan.BackupStore spec) {
        try {
            return io.romadr.activities.objectstore.ObjectStores.open(spec);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String url(GitDaemon daemon) {
        return "git://127.0.0.1:" + daemon.port() + "/repo.git";
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static CliRun mirror() {
        return stack.cli("backup", "git", "--plan", PLAN, "--wait",
                "--workflow-id", "git-mirror-" + UUID.randomUUID());
    }

    @Test
    void mirrorOutageCatchUpAndARewrittenPrimary() throws Exception {
        CliRun first = mirror();
        assertEquals(0, first.exit(), first::toString);
        Map<String, String> primaryRefs = GitCli.lsRemote(root, url(primary));
        assertEquals(3, primaryRefs.size(), primaryRefs::toString);
        assertEquals(primaryRefs, GitCli.lsRemote(root, url(backup1)));
        assertEquals(primaryRefs, GitCli.lsRemote(root, url(backup2)));
        assertTrue(first.out().contains("backup-1: 3 created, 0 updated, 0 deleted, 0 unchanged"), first::toString);
        String record = Files.readString(root.resolve("store/git/" + PLAN + "/last-mirror.json"));
        assertTrue(record.contains(primaryRefs.get("refs/heads/main")), record);

        CliRun again = mirror();
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("all already equal, nothing sent"), again::toString);

        // backup-2's server goes down; the primary moves on and drops a branch.
        backup2.stop();
        GitCli.commit(work, "README", "roma v2\n", null);
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main", ":refs/heads/feature");
        CliRun outage = mirror();
        assertEquals(1, outage.exit(), outage::toString);
        assertTrue(outage.out().contains("**Equal:** backup-1: 0 created, 1 updated, 1 deleted, 1 unchanged"),
                outage::toString);
        assertTrue(outage.out().lines().anyMatch(l -> l.startsWith("- **NOT equal:** backup-2: failed after retries")
                && l.contains("unreachable")), outage::toString);
        assertTrue(outage.out().contains("1 of 2 backup remote(s) not equal"), outage::toString);
        Map<String, String> moved = GitCli.lsRemote(root, url(primary));
        assertEquals(moved, GitCli.lsRemote(root, url(backup1)));

        backup2.start();
        CliRun caughtUp = mirror();
        assertEquals(0, caughtUp.exit(), caughtUp::toString);
        assertEquals(moved, GitCli.lsRemote(root, url(backup2)));

        // The primary's main is force-pushed back to its first commit: the backups keep the newer history.
        String newest = moved.get("refs/heads/main");
        GitCli.run(work, "push", "-q", "--force", "origin", "HEAD~1:refs/heads/main");
        assertNotEquals(newest, GitCli.lsRemote(root, url(primary)).get("refs/heads/main"));
        CliRun rewritten = mirror();
        assertEquals(1, rewritten.exit(), rewritten::toString);
        assertTrue(rewritten.out().contains("REFUSED refs/heads/main: non-fast-forward"), rewritten::toString);
        assertEquals(newest, GitCli.lsRemote(root, url(backup1)).get("refs/heads/main"));
        assertEquals(newest, GitCli.lsRemote(root, url(backup2)).get("refs/heads/main"));
    }
}
