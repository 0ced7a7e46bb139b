package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.BackupStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoresTest {

    private static BackupStore spec(String uri) {
        return new BackupStore(uri, null, null, null);
    }

    @Test
    void fileUriOpensALocalStore(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("backups");
        try (ObjectStore store = ObjectStores.open(spec(root.toUri().toString()))) {
            assertInstanceOf(LocalObjectStore.class, store);
            store.put("a/b", new byte[]{1});
            assertTrue(Files.isRegularFile(root.resolve("a/b")));
        }
    }

    @Test
    void s3UriOpensAnS3StoreWithBucketAndPrefix() throws Exception {
        try (ObjectStore store = ObjectStores.open(spec("s3://my-bucket/dr/roma/"))) {
            assertInstanceOf(S3ObjectStore.class, store);
            assertEquals("s3://my-bucket/dr/roma", store.location());
        }
        try (ObjectStore store = ObjectStores.open(spec("s3://my-bucket"))) {
            assertEquals("s3://my-bucket", store.location());
        }
        assertEquals(new S3ObjectStore.Location("b.example-1", "x/y/"), S3ObjectStore.parse("s3://b.example-1/x/y"));
    }

    private static void assertRefused(String uri, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObjectStores.open(spec(uri)),
                uri);
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(uri), e.getMessage());
    }

    @Test
    void badUrisAreRefusedWithClearMessages() {
        assertRefused("file://host/dir", "not a local directory");
        assertRefused("file:/tmp/a b", "malformed");
        assertRefused("file:/tmp/x?q=1", "not a local directory");
        assertRefused("s3://Bad_Bucket/x", "invalid bucket name");
        assertRefused("s3://ab", "invalid bucket name");
        assertRefused("s3://bucket/a/../b", "invalid key prefix");
        assertRefused("s3://bucket//x", "invalid key prefix");
        assertThrows(IllegalArgumentException.class, () -> new S3ObjectStore(spec("s3://bucket"),
                software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create(), 1024 * 1024));
    }
}
