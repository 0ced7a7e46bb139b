package io.romadr.activities.backup;

import static io.romadr.activities.backup.BackupTestSupport.SERVICE;
import static io.romadr.activities.backup.BackupTestSupport.listing;
import static io.romadr.activities.backup.BackupTestSupport.sha256;
import static io.romadr.activities.backup.BackupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.FileDigest;
import io.romadr.backup.ListBackupsRequest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.RestoreResult;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup activities against the real engine, a labelled busybox container and a local object store. */
@org.junit.jupiter.api.Tag("integration")
class DockerBackupActivitiesTest {
    private static final String PLAN = "plan1";
    private static final long CREATED_AT = 1_795_000_000_000L;

    private static DockerClient docker;

    @TempDir
    Path tmp;

    private final String project = BackupTestSupport.project();
    private final List<String> volumes = new ArrayList<>();
    private final AtomicInteger writes = new AtomicInteger();
    private Path state;
    private Path storeDir;
    private BackupStore store;
    private TestActivityEnvironment env;
    private BackupActivities activities;

    @BeforeAll
    static void engine() {
        docker = BackupTestSupport.docker();
    }

    @BeforeEach
    void setUp() throws IOException {
        state = tmp.resolve("state");
        Files.createDirectories(state);
        BackupTestSupport.generateState(state);
        storeDir = tmp.resolve("store");
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerBackupActivities(docker, s -> {
            try {
                return new CountingStore(new LocalObjectStore(Path.of(URI.create(s.uri()))), writes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        activities = env.newActivityStub(BackupActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
        for (String v : volumes) {
            docker.removeVolumeCmd(v).exec();
        }
        env.close();
    }

    private SnapshotRequest request(BackupKind kind, List<String> include, String id, long createdAt) {
        return new SnapshotRequest(kind, PLAN, store, project, SERVICE, "/data", include,
                BackupKeys.objectKey(kind, PLAN, createdAt, id), createdAt, "wf-" + id);
    }

    private Path objectPath(BackupManifest m) {
        return storeDir.resolve(m.objectKey());
    }

    private static ApplicationFailure nonRetryable(ActivityFailure f) {
        assertTrue(f.getCause() instanceof ApplicationFailure, () -> "cause: " + f.getCause());
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable(), () -> "should be non-retryable: " + cause);
        return cause;
    }

    @Test
    void snapshotExtractsWithRealTarToTheSourceTreeAndIsIdempotent() throws Exception {
        String id = BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        SnapshotRequest req = request(BackupKind.STATE, List.of(), "s1", CREATED_AT);

        BackupManifest m = activities.snapshot(req);

        Path object = objectPath(m);
        assertTrue(Files.isRegularFile(object), "object stored at its key");
        assertEquals(BackupManifest.FORMAT, m.format());
        assertEquals(BackupKind.STATE, m.kind());
        assertEquals(PLAN, m.plan());
        assertEquals(req.objectKey(), m.objectKey());
        assertEquals(sha256(object), m.sha256());
        assertEquals(Files.size(object), m.sizeBytes());
        assertEquals(project + "/" + SERVICE + ":/data", m.source());
        assertEquals(CREATED_AT, m.createdAt());
        assertEquals("wf-s1", m.workflowId());
        assertEquals(List.of(), m.files());
        long content = 0;
        long entries = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(object)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                if (e.isFile() && !e.isSymbolicLink()) {
                    content += e.getSize();
                }
            }
        }
        assertEquals(entries, m.entries());
        assertEquals(content, m.contentBytes());
        long generated;
        try (var files = Files.walk(state)) {
            generated = files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
        assertEquals(generated, m.contentBytes(), "sum of the generated files");
        String json = Files.readString(storeDir.resolve(BackupKeys.manifestKey(m.objectKey())));
        assertTrue(json.contains("\n  \"sha256\" : \"" + m.sha256() + "\""), json);

        Path out = tmp.resolve("extracted");
        Files.createDirectories(out);
        BackupTestSupport.run(out, "tar", "xzf", object.toString());
        TreeMap<String, String> expected = tree(state);
        assertEquals(expected, tree(out));
        assertEquals("link 999:998 -> nested/deep/b.bin", expected.get("link"), "symlink kept as a link");
        assertTrue(expected.get("out/x.json").startsWith("file rw-r--r-- 1234:2345 "), "owner in the tree");
        assertTrue(expected.get("run.sh").startsWith("file rwxr-xr-x"), "mode 0755 kept");
        assertTrue(expected.get(".").startsWith("dir rwxr-x---"), "root mode kept");

        int before = writes.get();
        long mtime = Files.getLastModifiedTime(object).toMillis();
        assertEquals(m, activities.snapshot(req), "same manifest the second time");
        assertEquals(before, writes.get(), "second call uploads and puts nothing");
        assertEquals(mtime, Files.getLastModifiedTime(object).toMillis());
        assertTrue(BackupTestSupport.running(docker, id));
    }

    @Test
    void artifactsTakeOnlyMatchingFilesAndRestoreOnlyNamedOnes() throws Exception {
        String id = BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        BackupManifest m = activities.snapshot(request(BackupKind.ARTIFACTS, List.of("*.json", "out/*.json"), "a1",
                CREATED_AT));

        Map<String, FileDigest> files = m.files().stream().collect(Collectors.toMap(FileDigest::path, f -> f));
        assertEquals(Set.of("top.json", "out/x.json", "out/y.json"), files.keySet());
        long total = 0;
        for (FileDigest f : m.files()) {
            assertEquals(sha256(state.resolve(f.path())), f.sha256(), f.path());
            assertEquals(Files.size(state.resolve(f.path())), f.size(), f.path());
            total += f.size();
        }
        assertEquals(total, m.contentBytes());
        Path out = tmp.resolve("extracted");
        Files.createDirectories(out);
        BackupTestSupport.run(out, "tar", "xzf", objectPath(m).toString());
        assertEquals(List.of("", "out", "out/x.json", "out/y.json", "top.json"), listing(out));
        VerifyResult v = activities.verifyBackup(new BackupRef(store, m));
        assertTrue(v.ok(), v::problem);

        String x = Files.readString(state.resolve("out/x.json"));
        String untouched = Files.readString(state.resolve("a.txt"));
        Files.delete(state.resolve("out/x.json"));
        Files.writeString(state.resolve("out/y.json"), "broken");
        Files.writeString(state.resolve("top.json"), "broken");

        ActivityFailure refused = assertThrows(ActivityFailure.class, () -> activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/data", List.of("out/x.json", "nope.json"))));
        assertTrue(nonRetryable(refused).getOriginalMessage().contains("nope.json"), refused::toString);
        assertFalse(Files.exists(state.resolve("out/x.json")), "a refused restore writes nothing");

        RestoreResult r = activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/data", List.of("out/x.json")));

        assertEquals(List.of("out/x.json"), r.files());
        assertEquals(x, Files.readString(state.resolve("out/x.json")));
        assertEquals(1234, Files.getAttribute(state.resolve("out/x.json"), "unix:uid"), "owner restored");
        assertEquals(2345, Files.getAttribute(state.resolve("out/x.json"), "unix:gid"), "group restored");
        assertEquals("broken", Files.readString(state.resolve("out/y.json")), "not named: untouched");
        assertEquals("broken", Files.readString(state.resolve("top.json")), "not named: untouched");
        assertEquals(untouched, Files.readString(state.resolve("a.txt")));
        List<String> names = listing(state);
        assertTrue(names.stream().noneMatch(n -> n.contains(".roma-")), () -> "leftovers: " + names);
        assertEquals(x, BackupTestSupport.readInContainer(docker, id, "/data/out/x.json"));
        BackupTestSupport.awaitRunning(docker, id, Duration.ofSeconds(10));
    }

    @Test
    void restoreOfANamedVolumeBringsBackTheSnapshotAndRestartsTheContainer() throws Exception {
        String volume = project + "-data";
        docker.createVolumeCmd().withName(volume).exec();
        volumes.add(volume);
        String id = BackupTestSupport.startContainer(docker, project, volume, "/data");
        Path host = Path.of(docker.inspectVolumeCmd(volume).exec().getMountpoint());
        BackupTestSupport.generateState(host);
        String alpha = Files.readString(host.resolve("a.txt"));
        BackupManifest m = activities.snapshot(request(BackupKind.STATE, List.of(), "v1", CREATED_AT));
        TreeMap<String, String> before = tree(host);

        Files.writeString(host.resolve("a.txt"), "changed");
        Files.delete(host.resolve("nested/deep/b.bin"));
        Files.delete(host.resolve("link"));
        Files.writeString(host.resolve("extra.txt"), "new");
        Files.setPosixFilePermissions(host.resolve("run.sh"), BackupTestSupport.perms("rw-r--r--"));
        assertFalse(before.equals(tree(host)));

        RestoreResult r = activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/data", List.of()));

        assertEquals(host.toString(), r.target());
        assertEquals(m.entries(), r.entries());
        assertEquals(m.contentBytes(), r.bytes());
        assertEquals(before, tree(host));
        BackupTestSupport.awaitRunning(docker, id, Duration.ofSeconds(10));
        assertEquals(alpha, BackupTestSupport.readInContainer(docker, id, "/data/a.txt"),
                "the restarted container sees the restored volume");
        assertEquals(List.of("_data"), Files.list(host.getParent()).map(p -> p.getFileName().toString()).toList(),
                "no staging or old copy left beside the volume");

        ActivityFailure notMount = assertThrows(ActivityFailure.class, () -> activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/tmp", List.of())));
        assertTrue(nonRetryable(notMount).getOriginalMessage().contains("state path must be a volume or bind mount"),
                notMount::toString);
        assertTrue(BackupTestSupport.running(docker, id));
    }

    @Test
    void aFlippedByteFailsVerificationAndRestoreChangesNothing() throws Exception {
        String id = BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        BackupManifest m = activities.snapshot(request(BackupKind.STATE, List.of(), "c1", CREATED_AT));
        VerifyResult good = activities.verifyBackup(new BackupRef(store, m));
        assertTrue(good.ok(), good::problem);
        assertNull(good.problem());
        assertEquals(m.sha256(), good.actualSha256());
        assertEquals(m.sizeBytes(), good.actualSize());
        assertEquals(m.entries(), good.entries());

        try (RandomAccessFile f = new RandomAccessFile(objectPath(m).toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        String stored = sha256(objectPath(m));
        VerifyResult bad = activities.verifyBackup(new BackupRef(store, m));
        assertFalse(bad.ok());
        assertEquals("sha256 mismatch: manifest " + m.sha256().substring(0, 12) + "..., stored "
                + stored.substring(0, 12) + "...", bad.problem());
        assertEquals(stored, bad.actualSha256());

        Files.writeString(state.resolve("a.txt"), "changed after the backup");
        TreeMap<String, String> current = tree(state);
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/data", List.of())));
        ApplicationFailure cause = nonRetryable(f);
        assertEquals("BackupVerificationFailed", cause.getType());
        assertTrue(cause.getOriginalMessage().contains("sha256 mismatch"), cause::getOriginalMessage);
        assertEquals(current, tree(state), "nothing changed in the volume");
        assertEquals(List.of("state", "store"), Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList(),
                "no staging beside the volume");
        assertTrue(BackupTestSupport.running(docker, id), "a refused restore never stops the container");

        Files.delete(objectPath(m));
        VerifyResult missing = activities.verifyBackup(new BackupRef(store, m));
        assertFalse(missing.ok());
        assertTrue(missing.problem().startsWith("missing object " + m.objectKey()), missing.problem());
    }

    @Test
    void aHostileArchiveWithAValidManifestIsReportedAndRefused() throws Exception {
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry root = new TarArchiveEntry("./");
            root.setMode(040755);
            tar.putArchiveEntry(root);
            tar.closeArchiveEntry();
            for (String name : List.of("ok.txt", "../escape")) {
                byte[] data = ("evil " + name).getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve the name as given
                e.setSize(data.length);
                e.setMode(0100644);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        }
        byte[] archive = bytes.toByteArray();
        String key = BackupKeys.objectKey(BackupKind.STATE, PLAN, CREATED_AT, "h1");
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, BackupKind.STATE, PLAN, key,
                BackupTestSupport.sha256(archive), archive.length, 3, 20, "hostile", CREATED_AT, "wf-h1", null, null,
                null);
        LocalObjectStore local = new LocalObjectStore(storeDir);
        local.put(key, archive);
        local.put(BackupKeys.manifestKey(key), BackupJson.write(m));
        try (InputStream check = Files.newInputStream(storeDir.resolve(key));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(check))) {
            tar.getNextEntry();
            tar.getNextEntry();
            assertEquals("../escape", tar.getNextEntry().getName(), "the hostile name was really stored");
        }

        VerifyResult v = activities.verifyBackup(new BackupRef(store, m));
        assertFalse(v.ok());
        assertEquals(m.sha256(), v.actualSha256(), "the checksum is fine: the entry is the problem");
        assertTrue(v.problem().contains("../escape"), v.problem());

        TreeMap<String, String> current = tree(state);
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/data", List.of())));
        assertTrue(nonRetryable(f).getOriginalMessage().contains("../escape"), f::toString);
        assertEquals(current, tree(state));
        assertEquals(List.of("state", "store"), Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList(),
                "nothing written beside or outside the volume");
    }

    @Test
    void listSkipsUnreadableManifestsSortsByCreationAndDeleteIsIdempotent() throws Exception {
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        BackupManifest newer = activities.snapshot(request(BackupKind.STATE, List.of(), "n2", CREATED_AT + 60_000));
        BackupManifest older = activities.snapshot(request(BackupKind.STATE, List.of(), "o1", CREATED_AT));
        LocalObjectStore local = new LocalObjectStore(storeDir);
        local.put(BackupKeys.prefix(BackupKind.STATE, PLAN) + "garbage.tar.gz.manifest.json",
                "{not json".getBytes(StandardCharsets.UTF_8));
        ListBackupsRequest list = new ListBackupsRequest(store, PLAN, BackupKind.STATE);

        assertEquals(List.of(older, newer), activities.listBackups(list));
        assertEquals(List.of(), activities.listBackups(new ListBackupsRequest(store, PLAN, BackupKind.ARTIFACTS)));

        activities.deleteBackup(new BackupRef(store, older));
        assertFalse(Files.exists(objectPath(older)));
        assertFalse(Files.exists(storeDir.resolve(older.manifestKey())));
        assertEquals(List.of(newer), activities.listBackups(list));
        activities.deleteBackup(new BackupRef(store, older)); // absent: fine
        assertEquals(List.of(newer), activities.listBackups(list));
    }
}
