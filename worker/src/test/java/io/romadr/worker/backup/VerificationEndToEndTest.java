package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.DockerTestRestoreActivities;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.activities.git.JGitMirrorActivities;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.LagSample;
import io.romadr.backup.RecordLagRequest;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.registry.RegistryImageActivities;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly verification end to end, every backup kind on its real system: a state snapshot of a running
 * container (test-restored into a throwaway one), secrets from OpenBao encrypted to a gpg key, a git mirror between
 * two real {@code git daemon}s, an image mirror between two real registries. All of it is made through the CLI; a
 * fresh set verifies OK, then four faults are made and each is reported as exactly its row.
 */
@org.junit.jupiter.api.Tag("integration")
class VerificationEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-verify-e2e";
    static final String PLAN = "verified";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String PASSPHRASE = "e2e " + UUID.randomUUID();
    static final String OLD_DATE = "2026-01-05T10:00:00+00:00";

    static EmbeddedStack stack;
    static DockerClient docker;
    static OpenBaoDevServer bao;
    static GpgHome gpg;
    static RegistryServer primaryRegistry;
    static RegistryServer backupRegistry;
    static GitDaemon gitServer;
    static Path root;
    static Path storeDir;
    static Path work;
    static String project;
    static String container;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        docker = DockerTestSupport.dockerWithSandboxImage();

        // The service: its state directory holds the file its health check needs.
        project = "romadr-verify-" + RUN;
        Path state = Files.createDirectories(root.resolve("state"));
        Files.writeString(state.resolve("health"), "ok\n");
        Files.writeString(state.resolve("cursor"), "42\n");
        container = stack.sandbox(docker, project, "app", Map.of("/data/state", state), Map.of());

        // Secrets in OpenBao, encrypted to a gpg key whose private half the worker holds.
        bao = stack.closeLater(OpenBaoDevServer.start());
        gpg = stack.closeLater(new GpgHome(PASSPHRASE));
        gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
        Path plans = Files.createDirectories(root.resolve("plans"));
        Files.createDirectories(plans.resolve("keys"));
        Files.writeString(plans.resolve("keys/ops.asc"), gpg.exportPublic("ops@example.org"));
        Path privateKey = root.resolve("ops.key");
        Files.writeString(privateKey, gpg.exportSecret("ops@example.org"));
        new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10))
                .write("verify-" + RUN + "/db", Map.of("PASSWORD", "pw-" + RUN));

        // Git: a primary and a backup on one git daemon; history dated months ago.
        Path repos = Files.createDirectories(root.resolve("repos"));
        GitCli.run(repos, "init", "-q", "--bare", "primary.git");
        GitCli.run(repos, "init", "-q", "--bare", "backup.git");
        gitServer = stack.closeLater(GitDaemon.start(repos));
        work = root.resolve("work");
        GitCli.run(root, "clone", "-q", gitUrl("primary"), work.toString());
        GitCli.commit(work, "README", "roma\n", OLD_DATE);
        GitCli.commit(work, "main.txt", "v1\n", OLD_DATE);
        GitCli.run(work, "tag", "v1");
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main", "refs/tags/v1");

        // Images: the busybox image pushed to the primary registry with the real docker CLI.
        primaryRegistry = stack.closeLater(RegistryServer.start());
        backupRegistry = stack.closeLater(RegistryServer.start());
        String pushed = primaryRegistry.hostAndPort() + "/verify-app:latest";
        dockerCli("tag", SandboxImage.DEFAULT_IMAGE, pushed);
        dockerCli("push", pushed);

        storeDir = Files.createDirectories(root.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks:
                    - name: state-present
                      exec: { service: app, command: [cat, /data/state/health], timeout: 5s }
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /data/state }
                  secrets:
                    vault: { address: "%s", paths: [verify-%s/db], tokenEnv: E2E_BAO_TOKEN }
                    recipients: [keys/ops.asc]
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                  images:
                    primary: { url: "%s" }
                    backup: { url: "%s" }
                    repositories: [verify-app]
                    release: 1.0.0
                  verification: { rpoSlack: 30m }   # the run's own minutes never make the measured git lag OVER
                """.formatted(PLAN, project, storeDir.toUri(), bao.address(), RUN, gitUrl("primary"),
                gitUrl("backup"), primaryRegistry.url(), backupRegistry.url()));

        Map<String, String> workerEnv = Map.of("E2E_BAO_TOKEN", bao.token(),
                "ROMA_DR_SECRETS_PASSPHRASE", PASSPHRASE, "ROMA_DR_SECRETS_KEY_FILE", privateKey.toString());
        PlanRepository repository = new PlanRepository(plans);
        RomaWorker.Activities activities = new RomaWorker.Activities(new PlanDirectoryActivities(repository), null,
                new DockerBackupActivities(docker, VerificationEndToEndTest::openStore),
                new SecretsBackupActivities(plans, VerificationEndToEndTest::openStore,
                        s -> new SecretsManagerSecrets(s.region(), s.endpoint()), workerEnv::get),
                new JGitMirrorActivities(root.resolve("git-cache"), workerEnv::get),
                new RegistryImageActivities(workerEnv::get),
                new DockerTestRestoreActivities(docker, VerificationEndToEndTest::openStore,
                        root.resolve("sandboxes")));
        stack.startWorker(activities);
    }

    static String gitUrl(String repo) {
        return "git://127.0.0.1:" + gitServer.port() + "/" + repo + ".git";
    }

    private static ObjectStore openStore(BackupStore spec) {
        try {
            return ObjectStores.open(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    static void dockerCli(String... args) throws Exception {
        List<String> command = Stream.concat(Stream.of("docker"), Stream.of(args)).toList();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", command) + " failed: " + out);
        }
    }

    /** The rows of the verification table (not the timeline), split into cells. */
    static Stream<String[]> rows(CliRun run) {
        List<String> lines = run.out().lines().toList();
        int header = lines.indexOf("| Kind | Check | Status | Evidence |");
        assertTrue(header >= 0, run::toString);
        return lines.subList(header + 2, lines.size()).stream().takeWhile(l -> l.startsWith("| "))
                .map(l -> l.split(" \\| "));
    }

    /** The rows of the printed report that are not OK, as "kind check STATUS". */
    static Set<String> notOk(CliRun run) {
        return rows(run)
                .filter(cells -> cells.length >= 3 && !cells[2].trim().equals("OK"))
                .map(cells -> cells[0].substring(2).trim() + " " + cells[1].trim() + " " + cells[2].trim())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> checks(CliRun run) {
        return rows(run).map(cells -> cells[0].substring(2).trim() + " " + cells[1].trim())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aFreshSetPassesAndEachFaultIsExactlyItsRow() throws Exception {
        for (String kind : List.of("state", "secrets", "git", "images")) {
            CliRun backup = cli("backup", kind, "--plan", PLAN, "--wait", "--workflow-id",
                    "verify-" + kind + "-" + RUN);
            assertEquals(0, backup.exit(), backup::toString);
        }

        // The image mirror's lag is measured from registry events only: one, as the events workflow records it.
        long now = System.currentTimeMillis();
        new DockerBackupActivities(docker, VerificationEndToEndTest::openStore).recordLag(new RecordLagRequest(
                new BackupStore(storeDir.toUri().toString(), null, null, null), PLAN, "images",
                List.of(new LagSample("event-1", "registry", now - 4_000, now, "backup-events-images-" + RUN))));

        CliRun fresh = cli("backups", "verify", "--plan", PLAN);
        assertEquals(0, fresh.exit(), fresh::toString);
        assertEquals(Set.of(), notOk(fresh), fresh::toString);
        // The measured RPO: state, secrets and git by the intervals of their backups (git: its mirror runs).
        assertEquals(new TreeSet<>(List.of("state freshness", "state integrity", "state test-restore",
                "secrets freshness", "secrets integrity", "secrets decrypt",
                "git freshness backup", "git integrity backup",
                "images freshness verify-app", "images integrity verify-app",
                "state rpo", "secrets rpo", "git rpo", "images rpo")), checks(fresh), fresh::toString);
        assertTrue(fresh.out().contains("healthy"), fresh::toString);

        // 1. git: the primary moves on today; the backup (not mirrored since) is months of commits behind.
        GitCli.commit(work, "main.txt", "v2\n", null);
        GitCli.run(work, "push", "-q", "origin", "HEAD:refs/heads/main");
        // 2. images: a layer blob disappears from the backup registry's storage.
        Path layer;
        try (Stream<Path> files = Files.walk(backupRegistry.storage())) {
            layer = files.filter(f -> f.getFileName().toString().equals("data") && f.toString().contains("/blobs/"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
        Files.delete(layer);
        // 3. state: one byte of the stored snapshot flipped.
        Path snapshot = newest("state", ".tar.gz");
        byte[] bytes = Files.readAllBytes(snapshot);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(snapshot, bytes);
        // 4. secrets: the export replaced by bytes that are not an OpenPGP message, manifest updated to match, so
        //    only the decrypt round trip can tell.
        Path secrets = newest("secrets", ".pgp");
        byte[] garbage = ("-----BEGIN PGP MESSAGE-----\n\nnot really " + RUN + "\n-----END PGP MESSAGE-----\n")
                .getBytes(StandardCharsets.US_ASCII);
        Files.write(secrets, garbage);
        Path manifest = Path.of(secrets + ".manifest.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode m = (ObjectNode) json.readTree(manifest.toFile());
        m.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(garbage)));
        m.put("sizeBytes", garbage.length);
        json.writeValue(manifest.toFile(), m);

        CliRun faulty = cli("backups", "verify", "--plan", PLAN);
        assertEquals(1, faulty.exit(), faulty::toString);
        assertEquals(new TreeSet<>(List.of("git freshness backup STALE", "images integrity verify-app CORRUPT",
                "state integrity CORRUPT", "secrets decrypt CORRUPT")), notOk(faulty), faulty::toString);
    }

    private static Path newest(String kind, String extension) throws IOException {
        try (Stream<Path> files = Files.walk(storeDir.resolve(kind))) {
            return files.filter(f -> f.getFileName().toString().endsWith(extension)).max(Path::compareTo)
                    .orElseThrow(() -> new AssertionError("no " + kind + " backup in " + storeDir));
        }
    }
}
