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
    void theTempDirectoryIsNotAKey() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> store.put(LocalObjectStore.TMP + "/x", new byte[1]));
    }
}
