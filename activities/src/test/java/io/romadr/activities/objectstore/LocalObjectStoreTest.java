package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContractTest {
    @TempDir
    Path root;

    @Override
    protected ObjectStore newStore() throws Exception {
        return new LocalObjectStore(root.resolve("store"));
    }

    @Override
    protected void assertNoPartialUploads() throws Exception {
        try (Stream<Path> tmp = Files.list(root.resolve("store").resolve(LocalObjectStore.TMP))) {
            assertEquals(List.of(), tmp.toList(), "temp files left behind");
        }
    }

    @Test
    void locationIsTheRootUri() {
        assertEquals(root.resolve("store").toUri().toString(), store.location());
    }

    @Test
    void aFailedCommitLeavesNoTempFile() throws Exception {
        // Unlike S3, a directory holds "a/b", so "a" cannot also be an object here.
        store.put("a/b", new byte[1]);
        try (ObjectUpload up = store.startUpload("a", null, cp -> {
        })) {
            up.write(new byte[10]);
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, up::commit);
        }
        assertNoPartialUploads();
        assertEquals(List.of("a/b"), store.list("").stream().map(ObjectInfo::key).toList());
    }

    @Test
    void theTempDirectoryIsNotAKey() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> store.put(LocalObjectStore.TMP + "/x", new byte[1]));
    }
}
