package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup behind smart HTTP ({@code git http-backend} with basic auth): the credentials come from the environment
 * variables the remote names, through the env function, and never show up in errors.
 */
@org.junit.jupiter.api.Tag("integration")
class GitMirrorHttpTest {
    @TempDir
    Path root;

    @Test
    void mirrorsToAnHttpBackupWithCredentialsFromTheEnvironment() throws Exception {
        String password = "pw-" + UUID.randomUUID();
        Path daemonDir = Files.createDirectories(root.resolve("daemon"));
        Path httpDir = Files.createDirectories(root.resolve("http"));
        try (GitDaemon daemon = GitDaemon.start(daemonDir);
                GitHttpServer http = new GitHttpServer(httpDir, "roma", password)) {
            daemon.createBare("primary");
            Path backupDir = Files.createDirectories(httpDir.resolve("backup.git"));
            GitCli.run(backupDir, "init", "-q", "--bare");
            GitCli.run(backupDir, "config", "http.receivepack", "true");
            Path work = Files.createDirectories(root.resolve("work"));
            GitCli.run(work, "init", "-q");
            GitCli.commit(work, "a.txt", "one", null);
            GitCli.run(work, "tag", "-a", "v1", "-m", "one");
            GitCli.run(work, "push", "-q", daemon.url("primary"), "main", "v1");

            GitRemote primary = GitMirrorActivitiesTest.remote("origin", daemon.url("primary"));
            GitRemote backup = new GitRemote("http-backup", http.url("backup"), "BACKUP_USER", "BACKUP_PASSWORD",
                    null, null);
            Map<String, String> env = Map.of("BACKUP_USER", "roma", "BACKUP_PASSWORD", password);
            JGitMirrorActivities activities = new JGitMirrorActivities(root.resolve("cache"), env::get);

            GitRefs refs = activities.fetchPrimary(new GitFetchRequest("p", primary));
            GitPushResult r = activities.pushBackup(new GitPushRequest("p", primary, backup, refs.refs(), false));
            assertEquals(List.of("refs/heads/main", "refs/tags/v1"), r.created());
            assertTrue(r.ok(), r.toString());
            assertEquals(refs.refs(), GitCli.lsRemote(work, backupDir.toString()));
            assertTrue(http.unauthorized() > 0, "the server must have asked for credentials");

            List<VerificationRow> rows = activities.checkBackup(new GitCheckRequest("p", primary, backup,
                    Duration.ofMinutes(5)));
            assertEquals(List.of(VerificationStatus.OK, VerificationStatus.OK),
                    rows.stream().map(VerificationRow::status).toList(), rows.toString());

            // A wrong password: a clear, retryable error naming the backup, without the password.
            String wrong = "wrong-" + UUID.randomUUID();
            JGitMirrorActivities badCreds = new JGitMirrorActivities(root.resolve("cache"),
                    Map.of("BACKUP_USER", "roma", "BACKUP_PASSWORD", wrong)::get);
            GitRemoteUnreachableException denied = assertThrows(GitRemoteUnreachableException.class,
                    () -> badCreds.pushBackup(new GitPushRequest("p", primary, backup, refs.refs(), false)));
            assertTrue(denied.getMessage().startsWith("backup remote http-backup (" + backup.url()
                    + ") refused the credentials: "), denied.getMessage());
            assertFalse(denied.getMessage().contains(wrong), denied.getMessage());

            // A missing variable: named, and not retried.
            JGitMirrorActivities noCreds = new JGitMirrorActivities(root.resolve("cache"),
                    Map.of("BACKUP_USER", "roma")::get);
            ApplicationFailure missing = assertThrows(ApplicationFailure.class,
                    () -> noCreds.pushBackup(new GitPushRequest("p", primary, backup, refs.refs(), false)));
            assertTrue(missing.isNonRetryable());
            assertEquals("remote http-backup: environment variable BACKUP_PASSWORD is not set on the worker",
                    missing.getOriginalMessage());
        }
    }
}
