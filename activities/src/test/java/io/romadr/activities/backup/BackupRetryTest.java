package io.romadr.activities.backup;

import static io.romadr.activities.backup.BackupTestSupport.SERVICE;
import static io.romadr.activities.backup.BackupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.objectstore.UploadCheckpoint;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.SnapshotRequest;
import io.romadr.plan.BackupStore;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a retried attempt gets from the last one: the upload checkpoint, the container's state, a half-done swap. */
@org.junit.jupiter.api.Tag("integration")
class BackupRetryTest {
    private static final long CREATED_AT = 1_795_000_000_000L;

    @TempDir
    Path tmp;

    private final DockerClient docker = BackupTestSupport.docker();
    private final String project = BackupTestSupport.project();
    private final AtomicReference<UploadCheckpoint> resumeSeen = new AtomicReference<>();
    private Path state;
    private Path storeDir;
    private BackupStore store;
    private TestActivityEnvironment env;
    private BackupActivities activities;
    private String containerId;

    /** Passes the resume checkpoint it was given on, and reports one made-up checkpoint per upload. */
    private final class ResumeRecordingStore implements ObjectStore {
        private final LocalObjectStore local;

        ResumeRecordingStore(LocalObjectStore local) {
            this.local = local;
        }

        @Override
        public String location() {
            return local.location();
        }

        @Override
        public ObjectUpload startUpload(String key, UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint)
                throws IOException {
            resumeSeen.set(resume);
            onCheckpoint.accept(new UploadCheckpoint(key, "upload-2", 8 << 20, List.of()));
            return local.startUpload(key, resume, onCheckpoint);
        }

        @Override
        public void put(String key, byte[] content) throws IOException {
            local.put(key, content);
        }

        @Override
        public InputStream open(String key) throws IOException {
            return local.open(key);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            return local.stat(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix) throws IOException {
            return local.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            local.delete(key);
        }
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
                return new ResumeRecordingStore(new LocalObjectStore(storeDir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        activities = env.newActivityStub(BackupActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
        containerId = BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
    }

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
        env.close();
    }

    private SnapshotRequest snapshotRequest(String id) {
        return new SnapshotRequest(BackupKind.STATE, "plan1", store, project, SERVICE, "/data", List.of(),
                BackupKeys.objectKey(BackupKind.STATE, "plan1", CREATED_AT, id), CREATED_AT, "wf-" + id);
    }

    @Test
    void aRetriedSnapshotResumesFromTheLastHeartbeatedCheckpoint() {
        UploadCheckpoint earlier = new UploadCheckpoint(snapshotRequest("r1").objectKey(), "upload-1", 8 << 20,
                List.of(new UploadCheckpoint.Part(1, 8 << 20, "ab".repeat(32), "etag-1")));
        List<UploadCheckpoint> beats = new CopyOnWriteArrayList<>();
        env.setActivityHeartbeatListener(UploadCheckpoint.class, beats::add);
        env.setHeartbeatDetails(earlier);

        BackupManifest m = activities.snapshot(snapshotRequest("r1"));

        assertEquals(earlier, resumeSeen.get(), "the store got the earlier attempt's checkpoint as resume");
        assertFalse(beats.isEmpty(), "heartbeats were sent");
        assertEquals(earlier, beats.get(0), "the first heartbeat keeps the checkpoint until a new one exists");
        assertTrue(Files.isRegularFile(storeDir.resolve(m.objectKey())));
    }

    @Test
    void aRestoreInterruptedBetweenTheRenamesIsRecoveredAndFinished() throws Exception {
        BackupManifest m = activities.snapshot(snapshotRequest("w1"));
        var snapshot = tree(state);
        Files.writeString(state.resolve("a.txt"), "changed before the crash");
        Path aside = AtomicSwap.asideName(state);
        Files.move(state, aside); // the crash: old tree renamed aside, new one not in place yet

        activities.restoreArchive(new RestoreRequest(store, m, project, SERVICE, "/data", List.of()));

        assertEquals(snapshot, tree(state));
        assertFalse(Files.exists(aside), "the old copy is gone after success");
        BackupTestSupport.awaitRunning(docker, containerId, Duration.ofSeconds(10));
    }

    @Test
    void aRetriedRestoreStartsTheContainerTheFirstAttemptStopped() throws Exception {
        BackupManifest m = activities.snapshot(snapshotRequest("k1"));
        Files.writeString(state.resolve("a.txt"), "changed");
        docker.stopContainerCmd(containerId).withTimeout(10).exec(); // the first attempt stopped it, then died
        assertFalse(BackupTestSupport.running(docker, containerId));
        env.setHeartbeatDetails(new BackupOperations.RestoreProgress(containerId, true, "restoring"));

        activities.restoreArchive(new RestoreRequest(store, m, project, SERVICE, "/data", List.of()));

        BackupTestSupport.awaitRunning(docker, containerId, Duration.ofSeconds(10));
        assertNotEquals("changed", Files.readString(state.resolve("a.txt")));
    }

    @Test
    void aContainerThatWasStoppedStaysStopped() throws Exception {
        BackupManifest m = activities.snapshot(snapshotRequest("z1"));
        docker.stopContainerCmd(containerId).withTimeout(10).exec();
        Files.writeString(state.resolve("a.txt"), "changed");

        activities.restoreArchive(new RestoreRequest(store, m, project, SERVICE, "/data", List.of()));

        assertNotEquals("changed", Files.readString(state.resolve("a.txt")));
        assertFalse(BackupTestSupport.running(docker, containerId), "restore does not start what was not running");
    }
}
