package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.DockerDataRecoveryActivities;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.objectstore.S3ObjectStore;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 2 through the CLI with the production wiring: real JSON artifacts in a container's bind mount, real
 * artifacts backups in a local store, a JSON Schema; two files truncated and the newest backup itself corrupt, then
 * {@code roma-dr recover data --wait}: the broken originals quarantined byte for byte, the two files restored from the
 * older backup, the producer stopped during the repair and running again afterwards. Then widespread corruption
 * repaired from a backup in S3 (moto), and corruption with no backup at all repaired by the plan's regenerate command.
 */
@org.junit.jupiter.api.Tag("integration")
class DataRecoveryEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-data-e2e";
    static final String PLAN = "datae2e";
    static EmbeddedStack stack;
    static DockerClient docker;
    static Path root;
    static Path out;
    static Path store;
    static String container;
    static Path plans;
    static MotoServer moto;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        root = dir;
        docker = DockerTestSupport.dockerWithSandboxImage();
        String project = "romadr-data-" + UUID.randomUUID().toString().substring(0, 8);
        out = Files.createDirectories(root.resolve("out"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(out.resolve("run-" + i + ".json"), "{\"id\": " + i + ", \"ok\": true}\n");
        }
        plans = Files.createDirectories(root.resolve("plans"));
        Files.createDirectories(plans.resolve("schemas"));
        Files.writeString(plans.resolve("schemas/run.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "required": ["id", "ok"], "properties": {"id": {"type": "integer"}, "ok": {"type": "boolean"}}}
                """);
        store = Files.createDirectories(root.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, exec: { service: app, command: [true] } }]
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 1s }
                backup:
                  store: { uri: "%s" }
                  artifacts:
                    service: app
                    path: /data/out
                    include: ["*.json"]
                    recovery: { schema: schemas/run.json, restore: corrupted }
                """.formatted(PLAN, project, store.toUri()));
        container = stack.sandbox(docker, project, "app", Map.of("/data/out", out), Map.of());

        moto = stack.closeLater(MotoServer.start());
        java.util.function.Function<BackupStore, ObjectStore> stores = spec -> {
            try {
                return spec.isS3()
                        ? new S3ObjectStore(spec, moto.credentials(), S3ObjectStore.DEFAULT_PART_SIZE)
                        : ObjectStores.open(spec);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        RomaWorker.Activities activities = new RomaWorker.Activities(
                new PlanDirectoryActivities(new PlanRepository(plans)),
                new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner()),
                new DockerBackupActivities(docker, stores), null, null, null, null, null,
                new DockerDataRecoveryActivities(docker, stores, plans));
        stack.startWorker(activities);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** A service "app" of a fresh compose project with {@code n} valid artifacts in a bind-mounted host directory. */
    static Path service(String plan, String storeUri, int n, String extra) throws Exception {
        String project = "romadr-" + plan + "-" + UUID.randomUUID().toString().substring(0, 6);
        Path dir = Files.createDirectories(root.resolve(plan + "-out"));
        for (int i = 0; i < n; i++) {
            Files.writeString(dir.resolve("run-" + i + ".json"), "{\"id\": " + i + ", \"ok\": true}\n");
        }
        Files.writeString(plans.resolve(plan + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, exec: { service: app, command: [true] } }]
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 1s }
                backup:
                  store: { uri: "%s", endpoint: "%s", pathStyle: true }
                  artifacts:
                    service: app
                    path: /data/out
                    include: ["*.json"]
                    recovery:
                      schema: schemas/run.json
                %s""".formatted(plan, project, storeUri, moto.endpoint(), extra));
        stack.sandbox(docker, project, "app", Map.of("/data/out", dir), Map.of());
        return dir;
    }

    static long createdAt(com.fasterxml.jackson.databind.ObjectMapper json, Path manifest) {
        try {
            return json.readTree(manifest.toFile()).get("createdAt").asLong();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertAllValid(Path dir, int n) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < n; i++) {
            assertEquals(i, json.readTree(dir.resolve("run-" + i + ".json").toFile()).get("id").asInt());
        }
    }

    static CliRun cli(String... args) {
        return stack.cli(args);
    }

    @Test
    void truncatedArtifactsAreQuarantinedAndRestoredFromTheNewestCleanBackup() throws Exception {
        CliRun older = cli("backup", "artifacts", "--plan", PLAN, "--wait");
        assertEquals(0, older.exit(), older::toString);
        Files.writeString(out.resolve("run-4.json"), "{\"id\": 4, \"ok\": true, \"note\": \"newer\"}\n");
        CliRun newer = cli("backup", "artifacts", "--plan", PLAN, "--wait");
        assertEquals(0, newer.exit(), newer::toString);
        // The newest backup is itself damaged: one byte flipped in the stored archive.
        // Newest by the manifests' creation time, as the workflow orders them (two backups can share a key second).
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Path newestManifest;
        try (Stream<Path> files = Files.walk(store.resolve("artifacts"))) {
            newestManifest = files.filter(f -> f.toString().endsWith(".manifest.json"))
                    .max(java.util.Comparator.comparingLong(f -> createdAt(json, f))).orElseThrow();
        }
        Path newest = Path.of(newestManifest.toString().replace(".manifest.json", ""));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(newest, bytes);
        // Localized corruption: one file truncated, one that breaks the schema.
        Files.writeString(out.resolve("run-1.json"), "{\"id\": 1, \"ok\":");
        Files.writeString(out.resolve("run-2.json"), "{\"id\": \"two\", \"ok\": true}\n");

        CliRun recovered = cli("recover", "data", "--plan", PLAN, "--wait", "--reason", "e2e");
        assertEquals(0, recovered.exit(), recovered::toString);
        String report = recovered.out();
        assertTrue(report.contains("- **Corruption:** localized: 2 of 5 artifact(s) invalid"), report);
        assertTrue(report.contains("run-1.json: line 1, column"), report);
        assertTrue(report.contains("run-2.json: schema:"), report);
        assertTrue(report.lines().anyMatch(l -> l.startsWith("- **Backup refused:** ") && l.contains("sha256")),
                report);
        assertTrue(report.contains("- **After:** all 5 artifact(s) valid"), report);

        assertEquals("{\"id\": 1, \"ok\": true}\n", Files.readString(out.resolve("run-1.json")));
        assertEquals("{\"id\": 2, \"ok\": true}\n", Files.readString(out.resolve("run-2.json")));
        // Untouched: the newer content of run-4 (not corrupted) stays as it is.
        assertEquals("{\"id\": 4, \"ok\": true, \"note\": \"newer\"}\n", Files.readString(out.resolve("run-4.json")));
        assertTrue(Boolean.TRUE.equals(docker.inspectContainerCmd(container).exec().getState().getRunning()),
                "the producer runs again");

        // The broken originals are in the quarantine, byte for byte.
        Path quarantined;
        try (Stream<Path> files = Files.walk(store.resolve("quarantine"))) {
            quarantined = files.filter(f -> f.toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        }
        Map<String, String> kept = new HashMap<>();
        try (InputStream in = Files.newInputStream(quarantined);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    kept.put(Path.of(e.getName()).getFileName().toString(), new String(tar.readAllBytes()));
                }
            }
        }
        assertEquals(Map.of("run-1.json", "{\"id\": 1, \"ok\":", "run-2.json", "{\"id\": \"two\", \"ok\": true}\n"),
                kept);
    }

    @Test
    void widespreadCorruptionIsRepairedFromABackupInS3() throws Exception {
        String bucket = moto.freshBucket();
        Path dir = service("datas3", "s3://" + bucket + "/roma-dr", 10, "");
        CliRun backup = cli("backup", "artifacts", "--plan", "datas3", "--wait");
        assertEquals(0, backup.exit(), backup::toString);
        for (int i = 0; i < 8; i++) {
            Files.writeString(dir.resolve("run-" + i + ".json"), i % 2 == 0 ? "" : "{\"id\": " + i + ",");
        }
        CliRun recovered = cli("recover", "data", "--plan", "datas3", "--wait");
        assertEquals(0, recovered.exit(), recovered::toString);
        assertTrue(recovered.out().contains("- **Corruption:** widespread: 8 of 10 artifact(s) invalid"),
                recovered::toString);
        assertTrue(recovered.out().contains("- **Restored from:** artifacts/datas3/"), recovered::toString);
        assertAllValid(dir, 10);
        // The quarantine sits in the same bucket as the backups.
        assertTrue(moto.s3().listObjectsV2(b -> b.bucket(bucket).prefix("roma-dr/quarantine/datas3/")).contents()
                .stream().anyMatch(o -> o.key().endsWith(".tar.gz")), "quarantine object in S3");
    }

    @Test
    void withNoBackupAtAllThePlansRegenerateCommandRebuildsTheArtifacts() throws Exception {
        Path dir = root.resolve("dataregen-out");
        // The "pipeline": a script on the worker host that writes every artifact again.
        Path script = root.resolve("regenerate.sh");
        Files.writeString(script, "for i in 0 1 2 3 4 5; do printf '{\"id\": %s, \"ok\": true}\\n' $i > " + dir
                + "/run-$i.json; done\n");
        service("dataregen", root.resolve("empty-store").toUri().toString(), 6, """
                      regenerate:
                        - { name: pipeline, command: [sh, "%s"], timeout: 1m }
                """.formatted(script));
        Files.writeString(dir.resolve("run-3.json"), "{\"id\": 3, \"ok\"");
        CliRun recovered = cli("recover", "data", "--plan", "dataregen", "--wait");
        assertEquals(0, recovered.exit(), recovered::toString);
        assertTrue(recovered.out().contains("all artifacts: regenerated by pipeline"), recovered::toString);
        assertTrue(recovered.out().contains("| choose-backup | Failed: no artifacts backup at all | 1 | 0.0s | 0 |"),
                recovered::toString);
        assertAllValid(dir, 6);
    }
}
