package io.romadr.activities.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream (RFC 1952, one member) whose deflate data is made of independently compressed blocks, as pigz does:
 * the input is cut into blocks (1 MiB by default); each block is deflated on a worker thread by its own raw
 * {@link Deflater} primed with the last 32 KiB of the previous block as preset dictionary, and ended with a sync flush
 * (byte aligned, not final) — except the last one, which is finished. The blocks are written in input order, so the
 * output is one ordinary deflate stream that {@code gzip -d}, {@code tar xzf} and {@link java.util.zip.GZIPInputStream}
 * read.
 *
 * <p>Guarantees: memory is bounded by O(threads x block size) whatever the input size (at most {@code 2 x threads}
 * blocks are in flight; the writing thread waits for the oldest block when that bound is reached); the trailer carries
 * the CRC32 and ISIZE (length mod 2^32) of the whole input; {@link #close()} compresses what is buffered, writes the
 * final block and the trailer, closes the underlying stream, stops the workers and throws the first worker or write
 * failure as an {@link IOException}. {@link #flush()} does not cut a block (that would hurt the ratio); it flushes the
 * blocks already compressed. Not thread-safe: one writing thread.
 */
public final class ParallelGzipOutputStream extends OutputStream {

    public static final int DEFAULT_BLOCK_SIZE = 1 << 20;
    static final int DICTIONARY_SIZE = 32 * 1024;

    /** Compresses one block; package-private so tests can inject a failing one. */
    interface BlockCompressor {
        byte[] compress(byte[] block, int length, byte[] dictionary, boolean last, int level) throws IOException;
    }

    private static final AtomicInteger POOL_SEQ = new AtomicInteger();

    private final OutputStream out;
    private final int blockSize;
    private final int level;
    private final int maxInFlight;
    private final BlockCompressor compressor;
    private final ExecutorService pool;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();

    private byte[] block;
    private int blockLength;
    private byte[] dictionary; // last 32 KiB of the previous block, null for the first block
    private long totalIn;
    private boolean closed;
    private IOException failure;

    /** Default compression level, one thread per available processor, 1 MiB blocks. */
    public ParallelGzipOutputStream(OutputStream out) throws IOException {
        this(out, Runtime.getRuntime().availableProcessors(), DEFAULT_BLOCK_SIZE, Deflater.DEFAULT_COMPRESSION);
    }

    public ParallelGzipOutputStream(OutputStream out, int threads, int blockSize, int level) throws IOException {
        this(out, threads, blockSize, level, ParallelGzipOutputStream::deflateBlock);
    }

    ParallelGzipOutputStream(OutputStream out, int threads, int blockSize, int level, BlockCompressor compressor)
            throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        if (blockSize < DICTIONARY_SIZE) {
            throw new IllegalArgumentException("blockSize must be >= " + DICTIONARY_SIZE + ": " + blockSize);
        }
        if (level < -1 || level > 9) {
            throw new IllegalArgumentException("level must be -1..9: " + level);
        }
        this.blockSize = blockSize;
        this.level = level;
        this.maxInFlight = 2 * threads;
        this.compressor = compressor;
        int poolId = POOL_SEQ.incrementAndGet();
        AtomicInteger threadSeq = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "pgzip-" + poolId + "-" + threadSeq.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.block = new byte[blockSize];
        try {
            writeHeader();
        } catch (IOException | RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    private void writeHeader() throws IOException {
        // ID1 ID2 CM=deflate FLG=0 MTIME=0 (reproducible) XFL=0 OS=3 (Unix)
        out.write(new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3});
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        crc.update(b, off, len);
        totalIn += len;
        while (len > 0) {
            int n = Math.min(len, blockSize - blockLength);
            System.arraycopy(b, off, block, blockLength, n);
            blockLength += n;
            off += n;
            len -= n;
            if (blockLength == blockSize) {
                submitBlock(false);
            }
        }
    }

    private void submitBlock(boolean last) throws IOException {
        byte[] data = block;
        int length = blockLength;
        byte[] dict = dictionary;
        if (length >= DICTIONARY_SIZE) {
            dictionary = Arrays.copyOfRange(data, length - DICTIONARY_SIZE, length);
        } else if (length > 0) {
            // a short block only happens last; keep the invariant anyway
            byte[] merged = new byte[Math.min(DICTIONARY_SIZE, (dict == null ? 0 : dict.length) + length)];
            int fromDict = merged.length - length;
            if (fromDict > 0) {
                System.arraycopy(dict, dict.length - fromDict, merged, 0, fromDict);
            }
            System.arraycopy(data, 0, merged, fromDict, length);
            dictionary = merged;
        }
        while (inFlight.size() >= maxInFlight) {
            drainOne();
        }
        inFlight.add(pool.submit(() -> compressor.compress(data, length, dict, last, level)));
        block = last ? null : new byte[blockSize];
        blockLength = 0;
    }

    private void drainOne() throws IOException {
        Future<byte[]> head = inFlight.poll();
        byte[] compressed;
        try {
            compressed = head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(new InterruptedIOException("interrupted while waiting for a compressed block"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw fail(new IOException("gzip block compression failed: " + cause, cause));
        }
        try {
            out.write(compressed);
        } catch (IOException e) {
            throw fail(e);
        }
    }

    private IOException fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (failure != null) {
            throw new IOException("stream failed earlier: " + failure.getMessage(), failure);
        }
    }

    /** Writes the blocks that are already compressed and flushes the underlying stream; does not cut a block. */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
            drainOne();
        }
        out.flush();
    }

    /** Total uncompressed bytes written so far. */
    public long bytesIn() {
        return totalIn;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException error = failure;
        try {
            if (error == null) {
                submitBlock(true);
                while (!inFlight.isEmpty()) {
                    drainOne();
                }
                writeTrailer();
                out.flush();
            }
        } catch (IOException e) {
            error = e;
        } finally {
            for (Future<byte[]> f : inFlight) {
                f.cancel(true);
            }
            inFlight.clear();
            pool.shutdownNow();
            block = null;
            try {
                out.close();
            } catch (IOException e) {
                if (error == null) {
                    error = e;
                } else {
                    error.addSuppressed(e);
                }
            }
        }
        if (error != null) {
            throw error;
        }
    }

    private void writeTrailer() throws IOException {
        long c = crc.getValue();
        long isize = totalIn & 0xffffffffL;
        byte[] t = new byte[8];
        for (int i = 0; i < 4; i++) {
            t[i] = (byte) (c >>> (8 * i));
            t[4 + i] = (byte) (isize >>> (8 * i));
        }
        out.write(t);
    }

    // Incompressibility probe: SAMPLE_SLICES slices of SAMPLE_SLICE bytes spread over the block, deflated at level 1.
    static final int SAMPLE_SLICES = 4;
    static final int SAMPLE_SLICE = 4 * 1024;
    // stored if the sample shrinks by less than ~3 %: level 6 would then gain well under 3 % on the block too
    static final double STORE_RATIO = 0.97;

    /**
     * True if the block looks incompressible (random, encrypted, already compressed), judged by deflating a 16 KiB
     * sample at level 1. A pure function of the block's bytes, so identical input gives identical output (the S3
     * resume of a snapshot upload relies on that).
     */
    static boolean looksIncompressible(byte[] block, int length) {
        if (length < SAMPLE_SLICES * SAMPLE_SLICE) {
            return false; // too small to sample reliably; compressing it costs little anyway
        }
        Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
        try {
            int stride = (length - SAMPLE_SLICE) / (SAMPLE_SLICES - 1);
            byte[] sample = new byte[SAMPLE_SLICES * SAMPLE_SLICE];
            for (int i = 0; i < SAMPLE_SLICES; i++) {
                System.arraycopy(block, i * stride, sample, i * SAMPLE_SLICE, SAMPLE_SLICE);
            }
            probe.setInput(sample);
            probe.finish();
            byte[] sink = new byte[sample.length + 1024];
            long out = 0;
            while (!probe.finished()) {
                out += probe.deflate(sink);
            }
            return out >= STORE_RATIO * sample.length;
        } finally {
            probe.end();
        }
    }

    /**
     * The default compressor: raw deflate, preset dictionary, sync flush unless last. A block that looks incompressible
     * is written as stored deflate blocks (level 0): deflating random bytes at level 6 costs most of the CPU of a
     * snapshot and gains nothing.
     */
    static byte[] deflateBlock(byte[] block, int length, byte[] dictionary, boolean last, int level) {
        boolean store = level != Deflater.NO_COMPRESSION && looksIncompressible(block, length);
        Deflater deflater = new Deflater(store ? Deflater.NO_COMPRESSION : level, true);
        try {
            // stored blocks do not refer back, so they need no dictionary; the next block's dictionary is still this
            // block's raw tail, which the decompressor's window holds either way
            if (dictionary != null && !store) {
                deflater.setDictionary(dictionary);
            }
            deflater.setInput(block, 0, length);
            ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, length / 2));
            byte[] buf = new byte[64 * 1024];
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    int n = deflater.deflate(buf, 0, buf.length, Deflater.NO_FLUSH);
                    bos.write(buf, 0, n);
                }
            } else {
                int n;
                do {
                    n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    bos.write(buf, 0, n);
                } while (n == buf.length || !deflater.needsInput());
            }
            return bos.toByteArray();
        } finally {
            deflater.end();
        }
    }
}
