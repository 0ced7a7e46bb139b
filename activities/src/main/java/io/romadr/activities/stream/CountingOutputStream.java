package io.romadr.activities.stream;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * Counts the bytes written through it (and tells {@code progress} the running total). Closing it only flushes: the
 * target belongs to the caller, which commits or aborts its upload after a writer that closes what it wraps.
 */
public final class CountingOutputStream extends FilterOutputStream {
    private final LongConsumer progress;
    private long count;

    public CountingOutputStream(OutputStream out) {
        this(out, total -> {
        });
    }

    public CountingOutputStream(OutputStream out, LongConsumer progress) {
        super(out);
        this.progress = progress;
    }

    /** Bytes written so far. */
    public long count() {
        return count;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        count++;
        progress.accept(count);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        count += len;
        progress.accept(count);
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
