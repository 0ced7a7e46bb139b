package io.romadr.activities.backup;

import static io.romadr.activities.backup.BackupTestSupport.SERVICE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.SnapshotRequest;
import io.romadr.scenario.datacorruption.ArtifactCheck;
import io.romadr.scenario.datacorruption.ArtifactCheck.InvalidArtifact;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.scenario.datacorruption.ProducerRequest;
import io.romadr.scenario.datacorruption.QuarantineRequest;
import io.romadr.scenario.datacorruption.QuarantineResult;
import io.romadr.scenario.datacorruption.ValidateArtifactsRequest;
import io.romadr.scenario.datacorruption.ValidateBackupRequest;
import io.romadr.plan.BackupStore;
import io.romadr.scenario.servicefailure.ActionResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scenario 2 activities against the real engine, a labelled busybox container and a local object store. */
@org.junit.jupiter.api.Tag("integration")
class DockerDataRecoveryActivitiesTest {
    private static final String PLAN = "plan2";
    private static final List<String> INCLUDE = List.of("*.json", "**/*.json");
    private static final String SCHEMA = "schemas/artifact.schema.json";

    private static DockerClient docker;

    @TempDir
    Path tmp;

    private final String project = BackupTestSupport.project();
    private final AtomicInteger writes = new AtomicInteger();
    private Path data;
    private Path storeDir;
    private BackupStore store;
    private TestActivityEnvironment env;
    private DataRecoveryActivities activities;
    private BackupActivities backups;
    private String containerId;

    @BeforeAll
    static void engine() {
        docker = BackupTestSupport.docker();
    }

    @BeforeEach
    void setUp() throws IOException {
        data = tmp.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        for (int i = 0; i < 8; i++) {
            Files.writeString(data.resolve("a" + i + ".json"), artifact(i));
        }
        Files.writeString(data.resolve("sub/nested.json"), artifact(99));
        Files.writeString(data.resolve("notes.txt"), "not an artifact {");
        Path plans = tmp.resolve("plans");
        Files.createDirectories(plans.resolve("schemas"));
        Files.writeString(plans.resolve(SCHEMA), """
                {
                  "$schema": "https://json-schema.org/draft/2020-12/schema",
                  "type": "object",
                  "required": ["id", "name"],
                  "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string", "minLength": 1}
                  }
                }
                """);
        storeDir = tmp.resolve("store");
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        java.util.function.Function<BackupStore, io.romadr.activities.objectstore.ObjectStore> stores = s -> {
            try {
                return new CountingStore(new LocalObjectStore(Path.of(URI.create(s.uri()))), writes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDataRecoveryActivities(docker, stores, plans),
                new DockerBackupActivities(docker, stores));
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
        activities = env.newActivityStub(DataRecoveryActivities.class, options);
        backups = env.newActivityStub(BackupActivities.class, options);
        containerId = BackupTestSupport.startContainer(docker, project, data.toString(), "/data");
    }

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
        env.close();
    }

    private static String artifact(int i) {
        return "{\n  \"id\": " + i + ",\n  \"name\": \"artifact-" + i + "\",\n  \"values\": [1, 2, 3]\n}\n";
    }

    private ArtifactCheck validate(String schema) {
        return activities.validateArtifacts(new ValidateArtifactsRequest(PLAN, project, SERVICE, "/data", INCLUDE,
                schema));
    }

    private BackupManifest snapshot(String id) {
        return backups.snapshot(new SnapshotRequest(BackupKind.ARTIFACTS, PLAN, store, project, SERVICE, "/data",
                INCLUDE, BackupKeys.objectKey(BackupKind.ARTIFACTS, PLAN, 1_795_000_000_000L, id), 1_795_000_000_000L,
                "wf-" + id));
    }

    private static Map<String, String> problems(ArtifactCheck check) {
        Map<String, String> m = new TreeMap<>();
        for (InvalidArtifact a : check.invalid()) {
            m.put(a.file(), a.problem());
        }
        return m;
    }

    private static ApplicationFailure nonRetryable(ActivityFailure f) {
        assertTrue(f.getCause() instanceof ApplicationFailure, () -> "cause: " + f.getCause());
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable(), () -> "should be non-retryable: " + cause);
        return cause;
    }

    // ---- validateArtifacts -----------------------------------------------------------------------------------------

    @Test
    void wellFormedArtifactsAreAllValidWithAndWithoutSchema() {
        ArtifactCheck plain = validate(null);
        assertTrue(plain.allValid(), () -> "invalid: " + plain.invalid());
        assertEquals(9, plain.total(), "8 top-level json files and sub/nested.json; notes.txt is not included");

        ArtifactCheck withSchema = validate(SCHEMA);
        assertTrue(withSchema.allValid(), () -> "invalid: " + withSchema.invalid());
        assertEquals(9, withSchema.total());
    }

    @Test
    void truncatedFilesAreReportedExactlyWithLineAndColumn() throws IOException {
        // a truncated write: the object is cut inside the "name" value on line 3
        String full = artifact(2);
        Files.writeString(data.resolve("a2.json"), full.substring(0, full.indexOf("artifact-2") + 4));
        Files.writeString(data.resolve("sub/nested.json"), "{\n  \"id\": 99,\n");
        Files.writeString(data.resolve("a5.json"), artifact(5) + "garbage");
        Files.writeString(data.resolve("a6.json"), "");

        ArtifactCheck check = validate(null);

        assertEquals(9, check.total());
        assertEquals(List.of("a2.json", "a5.json", "a6.json", "sub/nested.json"),
                check.invalidFiles().stream().sorted().toList());
        Map<String, String> p = problems(check);
        assertTrue(p.get("a2.json").matches("line 3, column \\d+: Unexpected end-of-input.*"), p.get("a2.json"));
        assertTrue(p.get("sub/nested.json").matches("line 3, column 1: Unexpected end-of-input.*"),
                p.get("sub/nested.json"));
        assertTrue(p.get("a5.json").startsWith("line 6, column "), p.get("a5.json"));
        assertTrue(p.get("a5.json").contains("garbage"), p.get("a5.json"));
        assertEquals("empty file (no JSON value)", p.get("a6.json"));
        assertFalse(p.get("a2.json").contains("Source"), "no Jackson source description: " + p.get("a2.json"));
    }

    @Test
    void mostFilesBrokenAreAllListed() throws IOException {
        for (int i = 0; i < 7; i++) {
            Files.writeString(data.resolve("a" + i + ".json"), "{\"id\": " + i + ", \"name\": ");
        }

        ArtifactCheck check = validate(SCHEMA);

        assertEquals(9, check.total());
        assertEquals(List.of("a0.json", "a1.json", "a2.json", "a3.json", "a4.json", "a5.json", "a6.json"),
                check.invalidFiles().stream().sorted().toList());
        for (InvalidArtifact a : check.invalid()) {
            assertTrue(a.problem().startsWith("line 1, column 19: Unexpected end-of-input"), a.toString());
        }
    }

    @Test
    void schemaViolationsAreReportedWithTheSchemaMessages() throws IOException {
        Files.writeString(data.resolve("a1.json"), "{\"id\": \"one\", \"name\": \"x\"}");
        Files.writeString(data.resolve("a3.json"), "{\"name\": \"\"}");
        Files.writeString(data.resolve("a4.json"), "[1, 2]");

        ArtifactCheck withSchema = validate(SCHEMA);
        assertEquals(List.of("a1.json", "a3.json", "a4.json"), withSchema.invalidFiles().stream().sorted().toList());
        Map<String, String> p = problems(withSchema);
        assertEquals("schema: /id: string found, integer expected", p.get("a1.json"));
        assertTrue(p.get("a3.json").contains("/name: must be at least 1 characters long")
                && p.get("a3.json").contains("(root): required property 'id' not found"), p.get("a3.json"));
        assertEquals("schema: (root): array found, object expected", p.get("a4.json"));

        assertTrue(validate(null).allValid(), "the same files are well-formed JSON");
    }

    @Test
    void atMostThreeSchemaMessagesFromAnAbsoluteSchemaPath() throws IOException {
        Path schema = tmp.resolve("strict.schema.json");
        Files.writeString(schema, "{\"required\": [\"p1\", \"p2\", \"p3\", \"p4\", \"p5\"]}");

        ArtifactCheck check = validate(schema.toString());

        assertEquals(9, check.total());
        assertEquals(9, check.invalid().size(), "every artifact lacks p1..p5");
        String problem = check.invalid().get(0).problem();
        assertEquals(3, problem.split("required property").length - 1, problem);
        assertTrue(problem.endsWith(" (and 2 more)"), problem);
    }

    @Test
    void aMissingSchemaFailsNonRetryablyNamingTheFile() {
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> validate("schemas/missing.json"));
        ApplicationFailure cause = nonRetryable(f);
        assertEquals("SchemaNotFound", cause.getType());
        assertTrue(cause.getOriginalMessage().contains("schemas/missing.json"), cause.getOriginalMessage());
    }

    // ---- validateBackup --------------------------------------------------------------------------------------------

    @Test
    void aCleanArtifactsBackupIsValid() throws IOException {
        BackupManifest m = snapshot("clean");
        assertEquals(9, m.files().size());

        ArtifactCheck check = activities.validateBackup(new ValidateBackupRequest(PLAN, store, m, INCLUDE, SCHEMA));

        assertTrue(check.allValid(), () -> "invalid: " + check.invalid());
        assertEquals(9, check.total());

        Files.delete(storeDir.resolve(m.objectKey()));
        ArtifactCheck missing = activities.validateBackup(new ValidateBackupRequest(PLAN, store, m, INCLUDE, null));
        assertEquals(List.of("(archive)"), missing.invalidFiles());
        assertTrue(missing.invalid().get(0).problem().startsWith("missing object " + m.objectKey()),
                missing.invalid().toString());
    }

    @Test
    void aBrokenFileInsideABackupIsReported() throws IOException {
        Files.writeString(data.resolve("sub/nested.json"), "{\"id\": 99, \"name\": \"n\"");
        BackupManifest m = snapshot("broken");

        ArtifactCheck check = activities.validateBackup(new ValidateBackupRequest(PLAN, store, m, INCLUDE, null));

        assertEquals(9, check.total());
        assertEquals(List.of("sub/nested.json"), check.invalidFiles());
        assertTrue(check.invalid().get(0).problem().startsWith("line 1, column "), check.invalid().toString());
    }

    @Test
    void aFlippedByteInTheStoredObjectIsOneArchiveProblem() throws IOException {
        BackupManifest m = snapshot("flipped");
        Path object = storeDir.resolve(m.objectKey());
        try (RandomAccessFile f = new RandomAccessFile(object.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xff);
        }

        ArtifactCheck check = activities.validateBackup(new ValidateBackupRequest(PLAN, store, m, INCLUDE, null));

        assertEquals(9, check.total(), "the manifest's file count");
        assertEquals(List.of("(archive)"), check.invalidFiles());
        String problem = check.invalid().get(0).problem();
        assertTrue(problem.startsWith("sha256 mismatch: manifest " + m.sha256().substring(0, 12)), problem);
        assertTrue(problem.contains(m.objectKey()), problem);
    }

    // ---- quarantine ------------------------------------------------------------------------------------------------

    @Test
    void quarantineStoresTheExactOriginalsAndARetryDoesNotRewrite() throws IOException {
        Files.writeString(data.resolve("a3.json"), "{\"id\": 3, \"na");
        byte[] a3 = Files.readAllBytes(data.resolve("a3.json"));
        byte[] nested = Files.readAllBytes(data.resolve("sub/nested.json"));
        String key = "quarantine/" + PLAN + "/q1.tar.gz";
        QuarantineRequest req = new QuarantineRequest(PLAN, store, project, SERVICE, "/data", INCLUDE,
                List.of("a3.json", "sub/nested.json"), key);

        QuarantineResult first = activities.quarantine(req);

        assertEquals(key, first.objectKey());
        assertEquals(List.of("a3.json", "sub/nested.json"), first.files().stream().sorted().toList());
        Path object = storeDir.resolve(key);
        assertEquals(Files.size(object), first.sizeBytes());
        assertEquals(BackupTestSupport.sha256(object), first.sha256());
        Map<String, byte[]> stored = files(object);
        assertEquals(List.of("a3.json", "sub/nested.json"), List.copyOf(stored.keySet()));
        assertArrayEquals(a3, stored.get("a3.json"));
        assertArrayEquals(nested, stored.get("sub/nested.json"));
        assertTrue(Files.exists(storeDir.resolve(BackupKeys.manifestKey(key))), "manifest beside the object");
        byte[] objectBytes = Files.readAllBytes(object);

        // the retry sees changed files but keeps what the first call stored, writing nothing
        Files.writeString(data.resolve("a3.json"), artifact(3));
        int writesBefore = writes.get();
        QuarantineResult again = activities.quarantine(req);
        assertEquals(first, again);
        assertEquals(writesBefore, writes.get(), "no upload or put on the retry");
        assertArrayEquals(objectBytes, Files.readAllBytes(object));
    }

    @Test
    void quarantineWithoutNamedFilesKeepsEveryArtifact() throws IOException {
        QuarantineResult r = activities.quarantine(new QuarantineRequest(PLAN, store, project, SERVICE, "/data",
                INCLUDE, List.of(), "quarantine/" + PLAN + "/all.tar.gz"));
        assertEquals(9, r.files().size());
        Map<String, byte[]> stored = files(storeDir.resolve(r.objectKey()));
        assertFalse(stored.containsKey("notes.txt"), "only artifacts matching the include globs");
        assertArrayEquals(Files.readAllBytes(data.resolve("a0.json")), stored.get("a0.json"));
    }

    /** The regular files of a stored tar.gz by path. */
    private static Map<String, byte[]> files(Path tarGz) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(tarGz);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    out.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        return out;
    }

    // ---- producer --------------------------------------------------------------------------------------------------

    @Test
    void stopAndStartProducerAreIdempotent() throws Exception {
        ProducerRequest req = new ProducerRequest(project, SERVICE, Duration.ofSeconds(2));

        ActionResult stopped = activities.stopProducer(req);
        assertTrue(stopped.changed(), stopped.detail());
        assertTrue(stopped.detail().startsWith("stopped " + project + "-" + SERVICE + "-1"), stopped.detail());
        assertFalse(BackupTestSupport.running(docker, containerId));

        ActionResult again = activities.stopProducer(req);
        assertFalse(again.changed(), again.detail());
        assertTrue(again.detail().contains("already stopped"), again.detail());

        // the artifacts stay readable while the producer is stopped
        assertTrue(validate(null).allValid());

        ActionResult started = activities.startProducer(req);
        assertTrue(started.changed(), started.detail());
        BackupTestSupport.awaitRunning(docker, containerId, Duration.ofSeconds(20));

        ActionResult startedAgain = activities.startProducer(req);
        assertFalse(startedAgain.changed(), startedAgain.detail());
        assertTrue(BackupTestSupport.running(docker, containerId));

        ActionResult none = activities.stopProducer(new ProducerRequest(project, "nope", Duration.ofSeconds(1)));
        assertFalse(none.changed());
        assertEquals("no container for compose service " + project + "/nope", none.detail());
    }

    @Test
    void directCallsOutsideAnActivityWork() throws IOException {
        DockerDataRecoveryActivities direct = new DockerDataRecoveryActivities(docker, s -> {
            try {
                return new LocalObjectStore(Path.of(URI.create(s.uri())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, tmp.resolve("plans"));
        Files.write(data.resolve("a0.json"), "{".getBytes(StandardCharsets.UTF_8));
        ArtifactCheck check = direct.validateArtifacts(new ValidateArtifactsRequest(PLAN, project, SERVICE, "/data",
                INCLUDE, SCHEMA));
        assertEquals(List.of("a0.json"), check.invalidFiles());
    }
}
