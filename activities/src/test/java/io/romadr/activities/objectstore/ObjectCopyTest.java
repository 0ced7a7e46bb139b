package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.digest.Sha256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectCopyTest {
    @TempDir
    Path root;

    @Test
    void copiesTheStoredBytesAndReportsProgress() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        try (ObjectStore from = new LocalObjectStore(root.resolve("a"));
                ObjectStore to = new LocalObjectStore(root.resolve("b"))) {
            from.put("state/roma/x.tar.gz", content);
            List<Long> progress = new ArrayList<>();
            ObjectCopy.Copied copied = ObjectCopy.copy(from, to, "state/roma/x.tar.gz", Sha256.hex(content), null,
                    cp -> {
                    }, progress::add);
            assertArrayEquals(content, to.read("state/roma/x.tar.gz"));
            assertEquals(Sha256.hex(content), copied.sha256());
            assertEquals(content.length, copied.info().size());
            assertEquals(content.length, progress.get(progress.size() - 1));
            assertTrue(progress.size() > 1, "progress while streaming");
            assertEquals(Optional.of(Sha256.hex(content)), ObjectCopy.digest(to, "state/roma/x.tar.gz", n -> {
            }));
            assertEquals(Optional.empty(), ObjectCopy.digest(to, "state/roma/absent", n -> {
            }));
        }
    }

    @Test
    void bytesThatAreNotTheExpectedOnesAreNotCommitted() throws Exception {
        try (ObjectStore from = new LocalObjectStore(root.resolve("a"));
                ObjectStore to = new LocalObjectStore(root.resolve("b"))) {
            from.put("k", "changed".getBytes());
            ObjectCopy.DigestMismatchException e = assertThrows(ObjectCopy.DigestMismatchException.class,
                    () -> ObjectCopy.copy(from, to, "k", Sha256.hex("original"), null, cp -> {
                    }, n -> {
                    }));
            assertTrue(e.getMessage().contains("nothing was copied"), e.getMessage());
            assertEquals(Optional.empty(), to.stat("k"));
            assertEquals(List.of(), to.list(""));
        }
    }
}
