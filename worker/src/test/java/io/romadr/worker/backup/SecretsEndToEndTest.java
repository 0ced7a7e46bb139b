package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.activities.docker.DockerClients;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.RomaWorker;
import io.romadr.activities.backup.DockerBackupActivities;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roma-dr backup secrets} and {@code roma-dr restore secrets} through the CLI, the workflows and the real
 * activity: Vault KV v2 on a real OpenBao dev server, keys made by gpg, a local object store. What the workflow
 * history holds is checked too: object keys and secret names, never a value.
 */
@org.junit.jupiter.api.Tag("integration")
class SecretsEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-secrets-e2e";
    static final String PLAN = "vaulted";
    static final String PASSPHRASE = "e2e " + UUID.randomUUID();
    static EmbeddedStack stack;
    static OpenBaoDevServer bao;
    static GpgHome gpg;
    static Path root;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        bao = stack.closeLater(OpenBaoDevServer.start());
        gpg = stack.closeLater(new GpgHome(PASSPHRASE));
        gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
        Path plans = Files.createDirectories(root.resolve("plans"));
        Files.createDirectories(plans.resolve("keys"));
        Files.writeString(plans.resolve("keys/ops.asc"), gpg.exportPublic("ops@example.org"));
        Path privateKey = root.resolve("ops.key");
        Files.writeString(privateKey, gpg.exportSecret("ops@example.org"));
        Path store = Files.createDirectories(root.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: vaulted
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  secrets:
                    vault: { address: "%s", paths: [app-%s/db, app-%s/api], tokenEnv: E2E_BAO_TOKEN }
                    recipients: [keys/ops.asc]
                """.formatted(PLAN, store.toUri(), bao.address(), RUN, RUN));
        Map<String, String> workerEnv = Map.of("E2E_BAO_TOKEN", bao.token(),
                "ROMA_DR_SECRETS_PASSPHRASE", PASSPHRASE);
        PlanRepository repository = new PlanRepository(plans);
        RomaWorker.Activities activities = new RomaWorker.Activities(new PlanDirectoryActivities(repository), null,
                new DockerBackupActivities(DockerClients.fromEnvironment(), SecretsEndToEndTest::openStore),
                new SecretsBackupActivities(plans, SecretsEndToEndTest::openStore,
                        s -> new SecretsManagerSecrets(s.region(), s.endpoint()), workerEnv::get));
        stack.startWorker(activities);
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

    static CliRun cli(String... args) {
        return stack.cli(args);
    }

    /** The history with every payload's bytes decoded (in the JSON they are base64, which would hide anything). */
    private static String decodedHistory(String workflowId) {
        String json = stack.client().fetchHistory(workflowId).toJson(false);
        StringBuilder all = new StringBuilder(json);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"")
                .matcher(json);
        while (m.find()) {
            all.append('\n').append(new String(java.util.Base64.getDecoder().decode(m.group(1)),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    @Test
    void backupLoseAndRestoreSecretsWithoutValuesInHistory() throws Exception {
        VaultKvClient vault = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
        Map<String, String> db = Map.of("PASSWORD", "db-" + RUN + "-s3cr3t");
        Map<String, String> api = Map.of("TOKEN", "api-" + RUN + "-t0k3n", "URL", "https://api.example.org");
        vault.write("app-" + RUN + "/db", db);
        vault.write("app-" + RUN + "/api", api);

        CliRun backup = cli("backup", "secrets", "--plan", PLAN, "--wait",
                "--workflow-id", "secrets-backup-" + RUN);
        assertEquals(0, backup.exit(), backup::toString);
        assertTrue(backup.out().contains("- **Secrets:** vault:secret/app-" + RUN + "/db, vault:secret/app-" + RUN
                + "/api"), backup::toString);
        assertTrue(
                backup.out().matches("(?s).*- \\*\\*Object:\\*\\* secrets/vaulted/\\d{8}T\\d{6}Z-[0-9a-f]{8}\\.pgp.*"),
                backup::toString);

        vault.deleteAllVersions("app-" + RUN + "/db");
        vault.write("app-" + RUN + "/api", Map.of("TOKEN", "overwritten"));

        CliRun restore = cli("restore", "secrets", "--plan", PLAN, "--wait",
                "--key-file", root.resolve("ops.key").toString(), "--workflow-id", "secrets-restore-" + RUN);
        assertEquals(0, restore.exit(), restore::toString);
        assertTrue(restore.out().contains("- **Secrets written:** vault:secret/app-" + RUN + "/db, vault:secret/app-"
                + RUN + "/api"), restore::toString);
        assertEquals(db, vault.read("app-" + RUN + "/db").data());
        assertEquals(api, vault.read("app-" + RUN + "/api").data());

        // Nothing secret in either workflow's history, nor in what the CLI printed.
        for (String id : List.of("secrets-backup-" + RUN, "secrets-restore-" + RUN)) {
            String history = decodedHistory(id);
            assertTrue(history.contains("app-" + RUN + "/db"), "the decoded history names the secrets (sanity)");
            for (String value : Stream.concat(db.values().stream(), api.values().stream())
                    .filter(v -> v.contains(RUN)).toList()) {
                assertFalse(history.contains(value), id + " history holds a secret value");
                assertFalse(backup.out().contains(value) || restore.out().contains(value), "CLI output holds one");
            }
            assertFalse(history.contains(bao.token()), id + " history holds the Vault token");
            assertFalse(history.contains(PASSPHRASE), id + " history holds the passphrase");
        }
    }
}
