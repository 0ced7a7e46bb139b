package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import io.romadr.plan.BackupStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

@org.junit.jupiter.api.Tag("integration")
class S3ObjectStoreTest extends ObjectStoreContractTest {
    static final String PREFIX = "backups/roma";
    static MotoServer moto;
    String bucket;

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

    @Override
    protected ObjectStore newStore() {
        bucket = moto.freshBucket();
        return new S3ObjectStore(new BackupStore("s3://" + bucket + "/" + PREFIX, moto.endpoint().toString(),
                MotoServer.REGION, true), moto.credentials(), S3ObjectStore.MIN_PART_SIZE);
    }

    @Override
    protected void assertNoPartialUploads() {
        List<MultipartUpload> uploads = moto.s3().listMultipartUploads(r -> r.bucket(bucket)).uploads();
        assertEquals(List.of(), uploads, "incomplete multipart uploads left behind");
    }

    @Override
    protected void checkCheckpoints(String key, List<UploadCheckpoint> checkpoints, long size) {
        int partSize = S3ObjectStore.MIN_PART_SIZE;
        int expectedParts = (int) ((size + partSize - 1) / partSize);
        assertEquals(expectedParts, checkpoints.size(), "one checkpoint per part");
        String uploadId = checkpoints.get(0).uploadId();
        assertNotNull(uploadId);
        for (int i = 0; i < checkpoints.size(); i++) {
            UploadCheckpoint cp = checkpoints.get(i);
            assertEquals(key, cp.key());
            assertEquals(uploadId, cp.uploadId());
            assertEquals(partSize, cp.partSize());
            assertEquals(i + 1, cp.parts().size());
            UploadCheckpoint.Part last = cp.parts().get(i);
            assertEquals(i + 1, last.number());
            assertEquals(64, last.sha256().length());
            assertNotNull(last.etag());
        }
        assertEquals(size, checkpoints.get(checkpoints.size() - 1).bytes());
    }

    @Test
    void locationAndKeysAreRelativeToThePrefix() throws Exception {
        assertEquals("s3://" + bucket + "/" + PREFIX, store.location());
        store.put("state/x", new byte[3]);
        // Objects beside the prefix (including a sibling sharing its first characters) are not the store's.
        moto.s3().putObject(r -> r.bucket(bucket).key("backups/roma2/state/y"), RequestBody.fromString("y"));
        moto.s3().putObject(r -> r.bucket(bucket).key("elsewhere"), RequestBody.fromString("z"));
        assertEquals(List.of("state/x"), store.list("").stream().map(ObjectInfo::key).toList());
        List<String> raw = moto.s3().listObjectsV2(r -> r.bucket(bucket)).contents().stream()
                .map(S3Object::key).toList();
        assertTrue(raw.contains(PREFIX + "/state/x"), raw.toString());
    }

    @Test
    void putStoresASha256ChecksumTheStoreVerified() throws Exception {
        store.put("sum", "checksummed".getBytes());
        var head = moto.s3().headObject(r -> r.bucket(bucket).key(PREFIX + "/sum")
                .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));
        // base64(SHA-256("checksummed"))
        assertEquals(java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest("checksummed".getBytes())), head.checksumSHA256());
    }
}
