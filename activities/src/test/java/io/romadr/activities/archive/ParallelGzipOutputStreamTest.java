package io.romadr.activities.archive;

import static io.romadr.activities.archive.ArchiveTestSupport.mixed;
import static io.romadr.activities.archive.ArchiveTestSupport.run;
import static io.romadr.activities.archive.ArchiveTestSupport.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@org.junit.jupiter.api.Tag("integration")
class ParallelGzipOutputStreamTest {

    @TempDir
    Path tmp;

    @Test
    void multiBlockMixedStreamRoundTripsThroughGzipAndJava() throws Exception {
        byte[] data = mixed(20 << 20, 42);
        Path gz = tmp.resolve("data.gz");
        try (OutputStream out = new ParallelGzipOutputStream(Files.newOutputStream(gz), 3, 1 << 20,
                Deflater.DEFAULT_COMPRESSION)) {
            // odd-sized writes so blocks are cut mid-write
            int off = 0;
            int step = 77_777;
            while (off < data.length) {
                int n = Math.min(step, data.length - off);
                out.write(data, off, n);
                off += n;
            }
        }
        assertTrue(Files.size(gz) < data.length, "mixed data must compress");
        run(tmp, "gzip", "-t", gz.toString());
        run(tmp, "sh", "-c", "gzip -dc data.gz > data.out");
        assertEquals(sha256(new ByteArrayInputStream(data)), sha256(tmp.resolve("data.out")));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }

    @Test
    void emptyAndTinyAndExactBlockInputsAreValidGzip() throws Exception {
        for (int size : new int[]{0, 1, 32 * 1024, 64 * 1024, 64 * 1024 + 1, 3 * 64 * 1024}) {
            byte[] data = mixed(size, size);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (ParallelGzipOutputStream out = new ParallelGzipOutputStream(bos, 2, 64 * 1024, 6)) {
                out.write(data);
            }
            Path gz = tmp.resolve("s" + size + ".gz");
            Files.write(gz, bos.toByteArray());
            run(tmp, "gzip", "-t", gz.toString());
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
                assertArrayEquals(data, in.readAllBytes(), "size " + size);
            }
        }
    }

    @Test
    void workerFailureSurfacesFromClose() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ParallelGzipOutputStream.BlockCompressor failing = (block, length, dict, last, level) -> {
            if (calls.incrementAndGet() == 3) {
                throw new IllegalStateException("boom in block 3");
            }
            return ParallelGzipOutputStream.deflateBlock(block, length, dict, last, level);
        };
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        ParallelGzipOutputStream out = new ParallelGzipOutputStream(bos, 4, 64 * 1024, 6, failing);
        out.write(mixed(5 * 64 * 1024, 1)); // 5 full blocks submitted, up to 8 may be in flight: no drain yet
        IOException e = assertThrows(IOException.class, out::close);
        assertTrue(String.valueOf(e.getMessage()).contains("boom in block 3"), e.toString());
        assertThrows(IOException.class, () -> out.write(1), "a failed, closed stream refuses writes");
    }

    @Test
    void workerFailureSurfacesFromWriteOnceTheQueueIsFull() throws Exception {
        ParallelGzipOutputStream.BlockCompressor failing = (block, length, dict, last, level) -> {
            throw new IOException("disk on fire");
        };
        ParallelGzipOutputStream out = new ParallelGzipOutputStream(OutputStream.nullOutputStream(), 1, 64 * 1024, 6,
                failing);
        byte[] block = new byte[64 * 1024];
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 10; i++) {
                out.write(block); // queue bound 2: the third block waits for the first and sees its failure
            }
        });
        assertTrue(e.getMessage().contains("disk on fire"), e.toString());
        assertThrows(IOException.class, out::close);
    }

    @Test
    void randomBlockIsStoredAndTextBlockIsCompressed() {
        byte[] random = new byte[1 << 20];
        new java.util.Random(7).nextBytes(random);
        byte[] text = new byte[1 << 20];
        byte[] line = "2026-11-26T22:00:00Z roma state line with some repeated payload\n".getBytes();
        for (int i = 0; i < text.length; i++) {
            text[i] = line[i % line.length];
        }
        assertTrue(ParallelGzipOutputStream.looksIncompressible(random, random.length));
        assertTrue(!ParallelGzipOutputStream.looksIncompressible(text, text.length));
        // stored: output is the input plus the stored-block headers (5 bytes per 64 KiB at most, plus the sync flush)
        byte[] stored = ParallelGzipOutputStream.deflateBlock(random, random.length, null, false, 6);
        assertTrue(stored.length >= random.length && stored.length < random.length + 1024, "stored: " + stored.length);
        byte[] deflated = ParallelGzipOutputStream.deflateBlock(text, text.length, null, false, 6);
        assertTrue(deflated.length < text.length / 20, "compressed: " + deflated.length);
    }

    @Test
    void mixedStoredAndCompressedOutputIsIdenticalAcrossRunsAndValidGzip() throws Exception {
        byte[] data = mixed(12 << 20, 99);
        // 64 KiB blocks: mixed() has random runs up to 200 KB, so some blocks are all random (stored), others text
        byte[][] outs = new byte[2][];
        for (int r = 0; r < 2; r++) {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (OutputStream out = new ParallelGzipOutputStream(bos, 2 + r, 64 * 1024, 6)) {
                out.write(data);
            }
            outs[r] = bos.toByteArray();
        }
        assertArrayEquals(outs[0], outs[1], "same input must give the same bytes, whatever the thread count");
        Path gz = tmp.resolve("mixed.gz");
        Files.write(gz, outs[0]);
        run(tmp, "gzip", "-t", gz.toString());
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(outs[0]))) {
            assertArrayEquals(data, in.readAllBytes());
        }
    }
}
