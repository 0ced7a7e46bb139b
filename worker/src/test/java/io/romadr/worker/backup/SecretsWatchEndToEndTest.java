package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.crypto.OpenPgpDecryptor;
import io.romadr.activities.crypto.OpenPgpKeys;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LagSample;
import io.romadr.backup.SecretsWatchReport;
import io.romadr.backup.SecretsWatchWorkflow;
import io.romadr.plan.PlanRepository;
import io.romadr.temporal.TaskQueues;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets watch on the real activities: Vault KV v2 on an OpenBao dev server, Secrets Manager on moto, keys made
 * by gpg, a local object store, polling every 10 s (the minimum). The first poll exports (no export yet); unchanged
 * secrets export nothing over two polls; a changed Vault value and a changed Secrets Manager value are in a new
 * encrypted export within two poll intervals (decrypted here with the test's key), and their lags are recorded.
 */
@org.junit.jupiter.api.Tag("integration")
class SecretsWatchEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-secrets-watch-" + UUID.randomUUID().toString().substring(0, 8);
    static final String PLAN = "watched";
    static final Duration POLL = Duration.ofSeconds(10);
    /** Two poll intervals, and the export's own few seconds on a busy machine. */
    static final Duration TWO_POLLS = POLL.multipliedBy(2).plusSeconds(10);
    static final String PASSPHRASE = "watch " + UUID.randomUUID();
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final ObjectMapper JSON = new ObjectMapper();
    static EmbeddedStack stack;
    static OpenBaoDevServer bao;
    static MotoServer moto;
    static GpgHome gpg;
    static Path root;
    static Path store;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        // moto (a Python server) starts while OpenBao starts and gpg makes the key: the class's time is mostly waits.
        CompletableFuture<MotoServer> motoStarting = CompletableFuture.supplyAsync(() -> {
            try {
                return MotoServer.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            bao = stack.closeLater(OpenBaoDevServer.start());
            gpg = stack.closeLater(new GpgHome(PASSPHRASE));
            gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
        } finally {
            moto = stack.closeLater(motoStarting.join());
        }
        Path plans = Files.createDirectories(root.resolve("plans"));
        Files.createDirectories(plans.resolve("keys"));
        Files.writeString(plans.resolve("keys/ops.asc"), gpg.exportPublic("ops@example.org"));
        Files.writeString(root.resolve("ops.key"), gpg.exportSecret("ops@example.org"));
        store = Files.createDirectories(root.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: watched
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  schedule: { secretsPoll: 10s }
                  secrets:
                    vault: { address: "%s", paths: [w-%s/app], tokenEnv: WATCH_BAO_TOKEN }
                    secretsManager: { region: %s, endpoint: "%s", names: [w-%s/db] }
                    recipients: [keys/ops.asc]
                """.formatted(PLAN, store.toUri(), bao.address(), RUN, MotoServer.REGION, moto.endpoint(), RUN));
        Map<String, String> workerEnv = Map.of("WATCH_BAO_TOKEN", bao.token());
        PlanRepository repository = new PlanRepository(plans);
        stack.startWorker(new RomaWorker.Activities(new PlanDirectoryActivities(repository), null,
                new DockerBackupActivities(DockerClients.fromEnvironment(), SecretsWatchEndToEndTest::openStore),
                new SecretsBackupActivities(plans, SecretsWatchEndToEndTest::openStore,
                        s -> new SecretsManagerSecrets(s.region(), s.endpoint(), moto.credentials()),
                        workerEnv::get)));
    }

    private static io.romadr.activities.objectstore.ObjectStore openStore(io.romadr.plan.BackupStore spec) {
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

    /** The plan's secrets exports, oldest first, by their manifests in the store. */
    static List<BackupManifest> exports() {
        Path dir = store.resolve("secrets").resolve(PLAN);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> BackupKeys.isManifest(f.getFileName().toString())).map(f -> {
                try {
                    return JSON.readValue(f.toFile(), BackupManifest.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted(Comparator.comparingLong(BackupManifest::createdAt)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The export's plaintext, decrypted with the test's private key. */
    static String decrypt(BackupManifest m) throws IOException {
        byte[] plaintext = new OpenPgpDecryptor().decryptToBytes(new ByteArrayInputStream(
                Files.readAllBytes(store.resolve(m.objectKey()))), OpenPgpKeys.readSecretKeys(root.resolve("ops.key")),
                PASSPHRASE.toCharArray(), 1 << 20);
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    @Test
    void aChangedVaultAndSecretsManagerValueIsInANewEncryptedExportWithinTwoPollsAndUnchangedOnesExportNothing()
            throws Exception {
        String app = "vault:secret/w-" + RUN + "/app";
        String db = "secretsmanager:w-" + RUN + "/db";
        VaultKvClient vault = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
        vault.write("w-" + RUN + "/app", Map.of("API_TOKEN", "first-" + RUN));
        try (SecretsManagerSecrets sm = new SecretsManagerSecrets(MotoServer.REGION, moto.endpoint().toString(),
                moto.credentials())) {
            sm.write(AwsSecretValue.ofString("w-" + RUN + "/db", "db-first-" + RUN));
        }
        String workflowId = SecretsWatchWorkflow.workflowIdPrefix(PLAN) + "-" + RUN;
        SecretsWatchWorkflow watch = stack.client().newWorkflowStub(SecretsWatchWorkflow.class, WorkflowOptions
                .newBuilder().setTaskQueue(TaskQueues.backups(TASK_QUEUE)).setWorkflowId(workflowId).build());
        WorkflowClient.start(watch::watch, new BackupRequest(PLAN, "junit"));
        try {
            // No export yet: the first poll exports everything.
            BackupManifest first = EmbeddedStack.eventually(TWO_POLLS, () -> {
                List<BackupManifest> all = exports();
                return all.size() == 1 ? all.get(0) : null;
            }, () -> "no first export: " + exports() + " " + watch.progress());
            assertEquals("1", first.secretVersions().get(app), first::toString);
            assertTrue(decrypt(first).contains("first-" + RUN));

            // Unchanged over two more polls: no export.
            int after = watch.progress().polls();
            EmbeddedStack.eventually(TWO_POLLS, () -> watch.progress().polls() >= after + 2 ? true : null,
                    () -> "polls stopped: " + watch.progress());
            assertEquals(1, exports().size(), () -> exports().toString());
            assertEquals(1, watch.progress().exports(), () -> watch.progress().toString());

            // Both change: a new export holds both new values within two poll intervals.
            vault.write("w-" + RUN + "/app", Map.of("API_TOKEN", "second-" + RUN));
            try (SecretsManagerSecrets sm = new SecretsManagerSecrets(MotoServer.REGION,
                    moto.endpoint().toString(), moto.credentials())) {
                sm.write(AwsSecretValue.ofString("w-" + RUN + "/db", "db-second-" + RUN));
            }
            String dbVersion = first.secretVersions().get(db);
            BackupManifest changed = EmbeddedStack.eventually(TWO_POLLS, () -> {
                List<BackupManifest> all = exports(); // one listing: a manifest being written may be missing
                BackupManifest newest = all.get(all.size() - 1);
                return "2".equals(newest.secretVersions().get(app))
                        && !dbVersion.equals(newest.secretVersions().get(db)) ? newest : null;
            }, () -> "the changes are not exported: " + exports() + " " + watch.progress());
            String plaintext = decrypt(changed);
            assertTrue(plaintext.contains("second-" + RUN) && plaintext.contains("db-second-" + RUN),
                    "the new export lacks a new value");
            assertFalse(plaintext.contains("first-" + RUN), "the new export holds an old value");
            assertFalse(new String(Files.readAllBytes(store.resolve(changed.objectKey())), StandardCharsets.ISO_8859_1)
                    .contains("second-" + RUN), "stored in clear");
            // One export for both, unless the two writes fell on either side of a poll.
            assertTrue(exports().size() <= 3, () -> exports().toString());

            // Each changed secret's lag: from its change in the source to the export committed.
            LagHistory lags = EmbeddedStack.eventually(Duration.ofSeconds(20), () -> {
                Path file = store.resolve(LagHistory.key(PLAN, "secrets"));
                try {
                    LagHistory h = Files.exists(file) ? JSON.readValue(file.toFile(), LagHistory.class) : null;
                    return h != null && h.samples().stream().map(LagSample::source).distinct().count() == 2 ? h : null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, () -> "no lag recorded for both secrets: " + watch.progress());
            for (LagSample s : lags.samples()) {
                assertTrue(s.lagMillis() > 0 && s.lagMillis() <= TWO_POLLS.toMillis(), s.toString());
            }
        } finally {
            WorkflowStub.fromTyped(watch).terminate("test done");
        }
    }
}
