package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.backup.GitFetchRequest;
import io.romadr.backup.GitPushRequest;
import io.romadr.backup.GitPushResult;
import io.romadr.backup.GitRefs;
import io.romadr.plan.GitRemote;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup over SSH with the key file and known_hosts file the remote names (not the worker user's ~/.ssh): the
 * server (Apache MINA SSHD running the real git-upload-pack / git-receive-pack) accepts only that key, and a host
 * key that is not in the known_hosts file is refused.
 */
@org.junit.jupiter.api.Tag("integration")
class GitMirrorSshTest {
    @TempDir
    Path root;

    @Test
    void mirrorsOverSshWithTheRemotesKeyAndKnownHosts() throws Exception {
        Path keys = Files.createDirectories(root.resolve("keys"));
        run(keys, "ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "roma-test", "-f",
                keys.resolve("id_roma").toString());
        Path sshRoot = Files.createDirectories(root.resolve("ssh"));
        Path daemonDir = Files.createDirectories(root.resolve("daemon"));
        try (GitDaemon daemon = GitDaemon.start(daemonDir);
                GitSshServer ssh = new GitSshServer(sshRoot, keys.resolve("host_key"),
                        Files.readString(keys.resolve("id_roma.pub")))) {
            daemon.createBare("primary");
            Path backupDir = Files.createDirectories(sshRoot.resolve("backup.git"));
            GitCli.run(backupDir, "init", "-q", "--bare");
            Path work = Files.createDirectories(root.resolve("work"));
            GitCli.run(work, "init", "-q");
            GitCli.commit(work, "a.txt", "one", null);
            GitCli.run(work, "tag", "v1");
            GitCli.run(work, "push", "-q", daemon.url("primary"), "main", "v1");
            Path knownHosts = keys.resolve("known_hosts");
            Files.writeString(knownHosts, ssh.knownHostsLine());

            GitRemote primary = GitMirrorActivitiesTest.remote("origin", daemon.url("primary"));
            GitRemote backup = new GitRemote("ssh-backup", ssh.url("backup"), null, null,
                    keys.resolve("id_roma").toString(), knownHosts.toString());
            JGitMirrorActivities activities = new JGitMirrorActivities(root.resolve("cache"), name -> null);
            GitRefs refs = activities.fetchPrimary(new GitFetchRequest("p", primary));
            GitPushResult r = activities.pushBackup(new GitPushRequest("p", primary, backup, refs.refs(), false));
            assertEquals(List.of("refs/heads/main", "refs/tags/v1"), r.created());
            assertTrue(r.ok(), r.toString());
            assertEquals(refs.refs(), GitCli.lsRemote(work, backupDir.toString()));

            // A known_hosts file without this server: the host is not trusted, and the error names the backup.
            Path otherHosts = keys.resolve("other_known_hosts");
            Files.writeString(otherHosts, "");
            GitRemote untrusted = new GitRemote("ssh-backup", ssh.url("backup"), null, null,
                    keys.resolve("id_roma").toString(), otherHosts.toString());
            GitRemoteUnreachableException e = assertThrows(GitRemoteUnreachableException.class,
                    () -> activities.pushBackup(new GitPushRequest("p", primary, untrusted, refs.refs(), false)));
            assertTrue(e.getMessage().startsWith("backup remote ssh-backup (" + untrusted.displayUrl() + ")"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("Server key did not validate"), e.getMessage());

            // A key file that does not exist: named, not retried.
            GitRemote noKey = new GitRemote("ssh-backup", ssh.url("backup"), null, null,
                    keys.resolve("missing").toString(), knownHosts.toString());
            ApplicationFailure missing = assertThrows(ApplicationFailure.class,
                    () -> activities.pushBackup(new GitPushRequest("p", primary, noKey, refs.refs(), false)));
            assertTrue(missing.isNonRetryable());
            assertTrue(missing.getOriginalMessage().contains("sshKeyFile " + keys.resolve("missing")),
                    missing.getOriginalMessage());
        }
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            org.junit.jupiter.api.Assertions.fail(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
