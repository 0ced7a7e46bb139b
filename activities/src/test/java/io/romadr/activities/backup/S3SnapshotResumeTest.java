package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectInfo;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.objectstore.S3ObjectStore;
import io.romadr.activities.objectstore.UploadCheckpoint;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot into S3 (moto) that dies after some parts, retried with the last heartbeated checkpoint: the second
 * docker cp + gzip produces the same bytes, so the stored parts are reused instead of sent again.
 */
@org.junit.jupiter.api.Tag("integration")
class S3SnapshotResumeTest {
    private static final int PART = S3ObjectStore.MIN_PART_SIZE;
    private static MotoServer moto;

    @TempDir
    Path tmp;

    private final DockerClient docker = BackupTestSupport.docker();
    private final String project = BackupTestSupport.project();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stopMoto() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
    }

    /** An S3 store whose uploads fail after {@code failAfter} bytes (a crash), recording the last upload. */
    private static final class CrashingStore implements ObjectStore {
        private final S3ObjectStore s3;
        private final long failAfter;
        private final AtomicReference<ObjectUpload> lastUpload;

        CrashingStore(S3ObjectStore s3, long failAfter, AtomicReference<ObjectUpload> lastUpload) {
            this.s3 = s3;
            this.failAfter = failAfter;
            this.lastUpload = lastUpload;
        }

        @Override
        public String location() {
            return s3.location();
        }

        @Override
        public ObjectUpload startUpload(String key, UploadCheckpoint resume, Consumer<UploadCheckpoint> onCheckpoint)
                throws IOException {
            ObjectUpload real = s3.startUpload(key, resume, onCheckpoint);
            lastUpload.set(real);
            return new ObjectUpload() {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (written + len > failAfter) {
                        throw new IOException("simulated worker crash after " + written + " bytes");
                    }
                    real.write(b, off, len);
                    written += len;
                }

                @Override
                public ObjectInfo commit() throws IOException {
                    return real.commit();
                }

                @Override
                public void abort() throws IOException {
                    real.abort();
                }

                @Override
                public void abandon() throws IOException {
                    real.abandon();
                }

                @Override
                public void close() throws IOException {
                    real.close();
                }
            };
        }

        @Override
        public void put(String key, byte[] content) throws IOException {
            s3.put(key, content);
        }

        @Override
        public InputStream open(String key) throws IOException {
            return s3.open(key);
        }

        @Override
        public Optional<ObjectInfo> stat(String key) throws IOException {
            return s3.stat(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix) throws IOException {
            return s3.list(prefix);
        }

        @Override
        public void delete(String key) throws IOException {
            s3.delete(key);
        }
    }

    @Test
    void aRetriedSnapshotReusesThePartsTheCrashedAttemptStored() throws Exception {
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        BackupTestSupport.generateState(state);
        Random random = new Random(11);
        for (int i = 0; i < 3; i++) {
            byte[] noise = new byte[6 << 20]; // incompressible: about 18 MiB of gzip, 4 parts of 5 MiB
            random.nextBytes(noise);
            Files.write(state.resolve("noise-" + i + ".bin"), noise);
        }
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        BackupStore spec = new BackupStore("s3://" + moto.freshBucket(), moto.endpoint().toString(),
                MotoServer.REGION, true);
        AtomicReference<ObjectUpload> lastUpload = new AtomicReference<>();
        long[] failAfter = {2L * PART + PART / 2};
        BackupOperations ops = new BackupOperations(docker, s -> new CrashingStore(
                new S3ObjectStore(s, moto.credentials(), PART), failAfter[0], lastUpload));
        long createdAt = System.currentTimeMillis();
        SnapshotRequest req = new SnapshotRequest(BackupKind.STATE, "s3plan", spec, project,
                BackupTestSupport.SERVICE, "/data", List.of(),
                BackupKeys.objectKey(BackupKind.STATE, "s3plan", createdAt, "r1"), createdAt, "wf-r1");
        List<Object> beats = new CopyOnWriteArrayList<>();

        IOException crash = assertThrows(IOException.class, () -> ops.snapshot(req, null, beats::add));
        assertTrue(crash.getMessage().contains("simulated worker crash"), crash.toString());
        UploadCheckpoint last = beats.stream().filter(UploadCheckpoint.class::isInstance)
                .map(UploadCheckpoint.class::cast).reduce((a, b) -> b).orElseThrow();
        assertEquals(2, last.parts().size(), "two parts were stored before the crash");

        failAfter[0] = Long.MAX_VALUE;
        BackupManifest m = ops.snapshot(req, last, Heartbeat.NONE);

        S3ObjectStore.S3Upload retried = (S3ObjectStore.S3Upload) lastUpload.get();
        assertEquals(last.uploadId(), retried.uploadId(), "the abandoned multipart upload was continued");
        assertEquals(2, retried.partsReused(), "the re-produced gzip bytes matched the stored parts");
        assertTrue(m.sizeBytes() > 3L * PART, "enough for parts after the reused ones: " + m.sizeBytes());
        VerifyResult v = ops.verify(new BackupRef(spec, m), Heartbeat.NONE);
        assertTrue(v.ok(), v::problem);
        assertEquals(m.sha256(), v.actualSha256());
    }
}
