package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import io.romadr.plan.BackupStore;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/** Resuming an abandoned multipart upload from its last checkpoint, as after a worker crash. */
@org.junit.jupiter.api.Tag("integration")
class S3ResumeTest {
    static final int PART = S3ObjectStore.MIN_PART_SIZE;
    static final String KEY = "artifacts/db.tar.gz";
    static MotoServer moto;
    String bucket;
    S3ObjectStore store;

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

    @BeforeEach
    void openStore() {
        bucket = moto.freshBucket();
        store = new S3ObjectStore(new BackupStore("s3://" + bucket, moto.endpoint().toString(), MotoServer.REGION,
                true), moto.credentials(), PART);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** 4 full parts and a partial fifth. */
    private static byte[] content() {
        byte[] b = new byte[4 * PART + 777_777];
        new Random(7).nextBytes(b);
        return b;
    }

    private static void writeInChunks(ObjectUpload up, byte[] data, int length) throws Exception {
        for (int off = 0; off < length; off += 999_999) {
            up.write(data, off, Math.min(999_999, length - off));
        }
    }

    /** Sends the first 3 parts and some bytes of the 4th, then abandons; returns the last checkpoint. */
    private UploadCheckpoint crashAfterThreeParts(byte[] data) throws Exception {
        List<UploadCheckpoint> checkpoints = new ArrayList<>();
        S3ObjectStore.S3Upload up = (S3ObjectStore.S3Upload) store.startUpload(KEY, null, checkpoints::add);
        writeInChunks(up, data, 3 * PART + 1000);
        up.abandon();
        assertEquals(3, up.partsSent());
        assertEquals(3, checkpoints.size());
        UploadCheckpoint last = checkpoints.get(2);
        assertEquals(3, last.parts().size());
        assertEquals(3L * PART, last.bytes());
        // Nothing visible, the parts still stored under the multipart upload.
        assertTrue(store.stat(KEY).isEmpty());
        List<String> pending = moto.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads().stream()
                .map(MultipartUpload::uploadId).toList();
        assertEquals(List.of(last.uploadId()), pending);
        return last;
    }

    private S3ObjectStore.S3Upload resume(UploadCheckpoint cp, byte[] data, List<UploadCheckpoint> checkpoints)
            throws Exception {
        S3ObjectStore.S3Upload up = (S3ObjectStore.S3Upload) store.startUpload(KEY, cp, checkpoints::add);
        writeInChunks(up, data, data.length);
        assertEquals(data.length, up.commit().size());
        return up;
    }

    private void assertStored(byte[] expected) throws Exception {
        assertArrayEquals(sha256(expected), sha256(store.read(KEY)), "object content differs");
        // The store computed its composite checksum from the part bytes it holds: SHA-256 over each part's
        // SHA-256, so it also proves the reused parts are the bytes we would have sent.
        MessageDigest composite = MessageDigest.getInstance("SHA-256");
        int parts = 0;
        for (int off = 0; off < expected.length; off += PART, parts++) {
            composite.update(MessageDigest.getInstance("SHA-256")
                    .digest(Arrays.copyOfRange(expected, off, Math.min(expected.length, off + PART))));
        }
        String checksum = moto.s3().headObject(r -> r.bucket(bucket).key(KEY).checksumMode(ChecksumMode.ENABLED))
                .checksumSHA256();
        // S3 appends "-<part count>"; moto 5.2 leaves it off.
        assertNotNull(checksum, "no SHA-256 checksum stored");
        assertEquals(Base64.getEncoder().encodeToString(composite.digest()),
                checksum.replaceFirst("-" + parts + "$", ""));
        assertEquals(List.of(), moto.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads(),
                "incomplete multipart uploads left behind");
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void sameBytesSendOnlyTheMissingParts() throws Exception {
        byte[] data = content();
        UploadCheckpoint cp = crashAfterThreeParts(data);
        List<Part> stored = moto.s3().listParts(r -> r.bucket(bucket).key(KEY).uploadId(cp.uploadId())).parts();
        assertEquals(3, stored.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(cp.parts().get(i).etag(), stored.get(i).eTag(), "part " + (i + 1));
        }

        List<UploadCheckpoint> checkpoints = new ArrayList<>();
        S3ObjectStore.S3Upload up = resume(cp, data, checkpoints);
        assertEquals(cp.uploadId(), up.uploadId(), "the abandoned upload was reused");
        assertEquals(3, up.partsReused());
        assertEquals(2, up.partsSent(), "only parts 4 and 5 are sent again");
        assertEquals(5, checkpoints.size());
        // While resuming, a checkpoint still carries the stored parts not yet re-produced.
        assertEquals(3, checkpoints.get(0).parts().size());
        assertEquals(cp.parts().get(2).etag(), checkpoints.get(0).parts().get(2).etag());
        assertEquals(data.length, checkpoints.get(4).bytes());
        assertStored(data);
    }

    @Test
    void changedBytesInPartTwoResendFromPartTwo() throws Exception {
        byte[] data = content();
        UploadCheckpoint cp = crashAfterThreeParts(data);
        byte[] changed = data.clone();
        changed[PART + 12345] ^= 0x5a;

        List<UploadCheckpoint> checkpoints = new ArrayList<>();
        S3ObjectStore.S3Upload up = resume(cp, changed, checkpoints);
        assertEquals(cp.uploadId(), up.uploadId());
        assertEquals(1, up.partsReused());
        assertEquals(4, up.partsSent(), "parts 2 to 5 are sent again");
        UploadCheckpoint last = checkpoints.get(checkpoints.size() - 1);
        assertNotEquals(cp.parts().get(1).sha256(), last.parts().get(1).sha256());
        // Part 3 came out identical but follows a changed part, so it was re-sent too.
        assertEquals(cp.parts().get(2).sha256(), last.parts().get(2).sha256());
        assertStored(changed);
    }

    @Test
    void aPartTheStoreDoesNotHoldAsRecordedIsSentAgain() throws Exception {
        byte[] data = content();
        UploadCheckpoint cp = crashAfterThreeParts(data);
        List<UploadCheckpoint.Part> parts = new ArrayList<>(cp.parts());
        UploadCheckpoint.Part two = parts.get(1);
        parts.set(1, new UploadCheckpoint.Part(2, two.size(), two.sha256(), "\"not-the-stored-etag\""));

        S3ObjectStore.S3Upload up = resume(new UploadCheckpoint(KEY, cp.uploadId(), PART, parts), data,
                new ArrayList<>());
        assertEquals(cp.uploadId(), up.uploadId());
        assertEquals(1, up.partsReused(), "only part 1 is known to be stored as recorded");
        assertEquals(4, up.partsSent());
        assertStored(data);
    }

    @Test
    void aShorterStreamDropsTheStoredPartsBeyondIt() throws Exception {
        byte[] data = content();
        UploadCheckpoint cp = crashAfterThreeParts(data);
        byte[] shorter = Arrays.copyOf(data, 2 * PART + 100);

        S3ObjectStore.S3Upload up = resume(cp, shorter, new ArrayList<>());
        assertEquals(2, up.partsReused());
        assertEquals(1, up.partsSent(), "the short third part replaces the stored full one");
        assertStored(shorter);
    }

    @Test
    void unknownUploadIdStartsOver() throws Exception {
        byte[] data = content();
        UploadCheckpoint cp = crashAfterThreeParts(data);
        moto.s3().abortMultipartUpload(r -> r.bucket(bucket).key(KEY).uploadId(cp.uploadId()));
        UploadCheckpoint gone = new UploadCheckpoint(KEY, cp.uploadId(), cp.partSize(), cp.parts());

        S3ObjectStore.S3Upload up = resume(gone, data, new ArrayList<>());
        assertNotNull(up.uploadId());
        assertNotEquals(cp.uploadId(), up.uploadId());
        assertEquals(0, up.partsReused());
        assertEquals(5, up.partsSent());
        assertStored(data);
    }

    @Test
    void bogusUploadIdOrOtherKeyStartsOver() throws Exception {
        byte[] data = content();
        UploadCheckpoint bogus = new UploadCheckpoint(KEY, "no-such-upload-id", PART, List.of(
                new UploadCheckpoint.Part(1, PART, HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(data, PART))), "\"x\"")));
        S3ObjectStore.S3Upload up = resume(bogus, data, new ArrayList<>());
        assertEquals(0, up.partsReused());
        assertEquals(5, up.partsSent());
        assertStored(data);

        store.delete(KEY);
        UploadCheckpoint cp = crashAfterThreeParts(data);
        // KEY's checkpoint handed to another key, and a checkpoint naming the other key with KEY's upload id.
        for (UploadCheckpoint wrong : List.of(cp, new UploadCheckpoint("other/key", cp.uploadId(), PART,
                cp.parts()))) {
            S3ObjectStore.S3Upload fresh = (S3ObjectStore.S3Upload) store.startUpload("other/key", wrong, x -> {
            });
            writeInChunks(fresh, data, data.length);
            fresh.commit();
            assertEquals(0, fresh.partsReused(), "an upload id belongs to one key");
            assertNotEquals(cp.uploadId(), fresh.uploadId());
            assertArrayEquals(sha256(data), sha256(store.read("other/key")));
            store.delete("other/key");
        }
        assertTrue(store.stat(KEY).isEmpty(), "KEY's abandoned upload was completed by mistake");
        // The abandoned upload of KEY is still there until aborted (a bucket lifecycle rule cleans real ones).
        store.startUpload(KEY, cp, x -> {
        }).abort();
        assertEquals(List.of(), moto.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads());
    }

    @Test
    void abortAfterPartsDropsTheMultipartUpload() throws Exception {
        byte[] data = content();
        try (ObjectUpload up = store.startUpload(KEY, null, x -> {
        })) {
            writeInChunks(up, data, 2 * PART + 5);
            assertEquals(1, moto.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads().size());
        }
        assertTrue(store.stat(KEY).isEmpty());
        assertEquals(List.of(), moto.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads());
    }
}
