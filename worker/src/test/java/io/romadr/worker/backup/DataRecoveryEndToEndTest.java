package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedTemporal;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.SearchAttributesRegistrar;
import io.romadr.worker.TemporalConnection;
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
 * older backup, the producer stopped during the repair and running again afterwards.
 */
class DataRecoveryEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-data-e2e";
    static final String PLAN = "datae2e";
    static EmbeddedTemporal temporal;
    static TemporalConnection connection;
    static RomaWorker worker;
    static DockerClient docker;
    static Path root;
    static Path out;
    static Path store;
    static String container;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        root = dir;
        docker = DockerClients.fromEnvironment();
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("Docker engine unreachable (" + e + "): these tests need a real engine and are never skipped");
        }
        SandboxImage.ensure(docker);
        String project = "romadr-data-" + UUID.randomUUID().toString().substring(0, 8);
        out = Files.createDirectories(root.resolve("out"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(out.resolve("run-" + i + ".json"), "{\"id\": " + i + ", \"ok\": true}\n");
        }
        Path plans = Files.createDirectories(root.resolve("plans"));
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
        container = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-app-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "app"))
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig().withInit(true)
                        .withBinds(new Bind(out.toString(), new Volume("/data/out"))))
                .exec().getId();
        docker.startContainerCmd(container).exec();

        temporal = EmbeddedTemporal.start(0);
        connection = new TemporalConnection(temporal.address(), "default");
        SearchAttributesRegistrar.ensure(connection.service(), "default");
        worker = new RomaWorker(connection.client(), TASK_QUEUE, new PlanRepository(plans), docker);
        worker.start();
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (connection != null) {
            connection.close();
        }
        if (temporal != null) {
            temporal.close();
        }
        if (docker != null && container != null) {
            docker.removeContainerCmd(container).withForce(true).exec();
        }
    }

    static CliRun cli(String... args) {
        return CliRun.of(temporal.address(), TASK_QUEUE, args);
    }

    @Test
    void truncatedArtifactsAreQuarantinedAndRestoredFromTheNewestCleanBackup() throws Exception {
        CliRun older = cli("backup", "artifacts", "--plan", PLAN, "--wait");
        assertEquals(0, older.exit(), older::toString);
        Files.writeString(out.resolve("run-4.json"), "{\"id\": 4, \"ok\": true, \"note\": \"newer\"}\n");
        CliRun newer = cli("backup", "artifacts", "--plan", PLAN, "--wait");
        assertEquals(0, newer.exit(), newer::toString);
        // The newest backup is itself damaged: one byte flipped in the stored archive.
        Path newest;
        try (Stream<Path> files = Files.walk(store.resolve("artifacts"))) {
            newest = files.filter(f -> f.toString().endsWith(".tar.gz")).max(Path::compareTo).orElseThrow();
        }
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
        assertTrue(report.lines().anyMatch(l -> l.startsWith("- **Backup refused:** ") && l.contains("sha256")), report);
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
}
