package io.romadr.activities.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** What every {@link ObjectStore} must do; subclasses supply a fresh, empty store per test. */
abstract class ObjectStoreContractTest {
    protected ObjectStore store;

    protected abstract ObjectStore newStore() throws Exception;

    /** Fails when an aborted or committed upload left partial data behind (temp files, multipart uploads). */
    protected abstract void assertNoPartialUploads() throws Exception;

    /** Store-specific checks of the checkpoints a large streamed upload reported. */
    protected void checkCheckpoints(String key, List<UploadCheckpoint> checkpoints, long size) {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<String> keys(String prefix) throws IOException {
        return store.list(prefix).stream().map(ObjectInfo::key).toList();
    }

    @Test
    void putThenReadAndReplace() throws Exception {
        store.put("manifests/a.json", utf8("{\"v\":1}"));
        assertArrayEquals(utf8("{\"v\":1}"), store.read("manifests/a.json"));
        store.put("manifests/a.json", utf8("{\"v\":22}"));
        assertArrayEquals(utf8("{\"v\":22}"), store.read("manifests/a.json"));
        store.put("empty", new byte[0]);
        assertArrayEquals(new byte[0], store.read("empty"));
    }

    @Test
    void statReportsSizeOrEmpty() throws Exception {
        store.put("dir/obj", new byte[1234]);
        ObjectInfo info = store.stat("dir/obj").orElseThrow();
        assertEquals("dir/obj", info.key());
        assertEquals(1234, info.size());
        assertTrue(info.lastModified() != null);
        assertTrue(store.stat("dir/missing").isEmpty());
        assertTrue(store.stat("dir").isEmpty(), "a key prefix is not an object");
    }

    @Test
    void listByPrefixIsSortedAndRespectsBoundaries() throws Exception {
        for (String k : List.of("state/roma/b", "state/roma/a/2", "state/roma/a/1", "state/roma2/c", "other/x",
                "state/romb")) {
            store.put(k, utf8(k));
        }
        assertEquals(List.of("state/roma/a/1", "state/roma/a/2", "state/roma/b"), keys("state/roma/"));
        assertEquals(List.of("state/roma/a/1", "state/roma/a/2", "state/roma/b", "state/roma2/c"),
                keys("state/roma"));
        assertEquals(List.of("other/x", "state/roma/a/1", "state/roma/a/2", "state/roma/b", "state/roma2/c",
                "state/romb"), keys(""));
        assertEquals(List.of("state/roma/a/1", "state/roma/a/2"), keys("state/roma/a"));
        assertEquals(List.of(), keys("nothing/"));
        ObjectInfo b = store.list("state/roma/b").get(0);
        assertEquals(utf8("state/roma/b").length, b.size());
    }

    @Test
    void uploadIsInvisibleUntilCommit() throws Exception {
        store.put("keep", utf8("k"));
        byte[] data = utf8("hello, streaming world");
        try (ObjectUpload up = store.startUpload("up/obj", null, cp -> {
        })) {
            up.write(data, 0, 5);
            up.write(data[5]);
            up.write(data, 6, data.length - 6);
            assertTrue(store.stat("up/obj").isEmpty());
            assertEquals(List.of("keep"), keys(""));
            assertThrows(NoSuchObjectException.class, () -> store.open("up/obj"));
            ObjectInfo info = up.commit();
            assertEquals("up/obj", info.key());
            assertEquals(data.length, info.size());
            assertThrows(IOException.class, up::commit, "second commit");
            assertThrows(IOException.class, () -> up.write(1), "write after commit");
        }
        assertArrayEquals(data, store.read("up/obj"));
        assertEquals(List.of("keep", "up/obj"), keys(""));
        assertNoPartialUploads();
    }

    @Test
    void emptyUploadCommitsAnEmptyObject() throws Exception {
        try (ObjectUpload up = store.startUpload("zero", null, cp -> {
        })) {
            assertEquals(0, up.commit().size());
        }
        assertArrayEquals(new byte[0], store.read("zero"));
        assertNoPartialUploads();
    }

    @Test
    void abortAndCloseWithoutCommitLeaveNothing() throws Exception {
        ObjectUpload aborted = store.startUpload("a/obj", null, cp -> {
        });
        aborted.write(new byte[100]);
        aborted.abort();
        aborted.abort();
        try (ObjectUpload closed = store.startUpload("b/obj", null, cp -> {
        })) {
            closed.write(new byte[100]);
        }
        assertTrue(store.stat("a/obj").isEmpty());
        assertTrue(store.stat("b/obj").isEmpty());
        assertEquals(List.of(), keys(""));
        assertNoPartialUploads();
    }

    @Test
    void deleteIsIdempotent() throws Exception {
        store.put("d/x", utf8("x"));
        store.put("d/y", utf8("y"));
        store.delete("d/x");
        store.delete("d/x");
        store.delete("never/existed");
        assertTrue(store.stat("d/x").isEmpty());
        assertEquals(List.of("d/y"), keys("d/"));
    }

    @Test
    void openMissingThrowsNoSuchObject() {
        NoSuchObjectException e = assertThrows(NoSuchObjectException.class, () -> store.open("no/such"));
        assertTrue(e.getMessage().contains("no/such"), e.getMessage());
        assertThrows(NoSuchObjectException.class, () -> store.read("no/such"));
    }

    @Test
    void invalidKeysAreRefused() throws Exception {
        for (String bad : new String[]{"", "/abs", "dir/", "a//b", "..", "../up", "a/../b", "./a", "a/.", "a\\b",
                "nul\0l"}) {
            List<Executable> calls = List.of(
                    () -> store.put(bad, new byte[1]),
                    () -> store.open(bad),
                    () -> store.stat(bad),
                    () -> store.delete(bad),
                    () -> store.startUpload(bad, null, cp -> {
                    }).abort());
            for (Executable call : calls) {
                assertThrows(IllegalArgumentException.class, call, "key \"" + bad + "\"");
            }
        }
        assertEquals(List.of(), keys(""));
    }

    @Test
    void largeStreamingUploadSpansSeveralParts() throws Exception {
        long size = 50L * 1024 * 1024 + 12345;
        Random random = new Random(42);
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        List<UploadCheckpoint> checkpoints = new ArrayList<>();
        byte[] chunk = new byte[1_000_003]; // odd size so writes straddle part boundaries
        try (ObjectUpload up = store.startUpload("big/blob", null, checkpoints::add)) {
            for (long left = size; left > 0;) {
                int n = (int) Math.min(chunk.length, left);
                random.nextBytes(chunk);
                up.write(chunk, 0, n);
                written.update(chunk, 0, n);
                left -= n;
            }
            assertTrue(store.stat("big/blob").isEmpty(), "visible before commit");
            assertEquals(size, up.commit().size());
        }
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long readBytes = 0;
        try (InputStream in = store.open("big/blob")) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0;) {
                read.update(buf, 0, n);
                readBytes += n;
            }
        }
        assertEquals(size, readBytes);
        assertEquals(HexFormat.of().formatHex(written.digest()), HexFormat.of().formatHex(read.digest()));
        assertEquals(size, store.stat("big/blob").orElseThrow().size());
        checkCheckpoints("big/blob", checkpoints, size);
        assertNoPartialUploads();
    }
}
