package io.romadr.activities.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body of known length read from a one-shot stream in large chunks. The JDK's
 * {@code BodyPublishers.ofInputStream} hands the client one small buffer (16 KiB) per read, and the client's
 * per-buffer work, not the bytes, then dominates a blob upload on a fast link. Each chunk is a fresh array, because
 * the client may still be writing the previous one when it asks for the next.
 */
final class InputStreamBodyPublisher implements HttpRequest.BodyPublisher {
    static final int CHUNK_SIZE = 256 * 1024;

    private final InputStream in;
    private final long length;
    private final int chunkSize;

    InputStreamBodyPublisher(InputStream in, long length) {
        this(in, length, CHUNK_SIZE);
    }

    InputStreamBodyPublisher(InputStream in, long length, int chunkSize) {
        this.in = in;
        this.length = length;
        this.chunkSize = chunkSize;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Chunks(subscriber));
    }

    /** Emits chunks as demand allows; reentrant calls to request() from onNext only add demand. */
    private final class Chunks implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger drains = new AtomicInteger();
        private volatile boolean done;

        Chunks(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                done = true;
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            done = true;
        }

        private void drain() {
            if (drains.getAndIncrement() != 0) {
                return; // the thread already draining will see the new demand
            }
            do {
                while (!done && demand.get() > 0) {
                    ByteBuffer chunk;
                    try {
                        chunk = readChunk();
                    } catch (IOException | RuntimeException e) {
                        done = true;
                        subscriber.onError(e);
                        return;
                    }
                    if (chunk == null) {
                        done = true;
                        subscriber.onComplete();
                        return;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(chunk);
                }
            } while (drains.decrementAndGet() != 0);
        }

        /** Reads until the chunk is full or the stream ends; null at end of stream. */
        private ByteBuffer readChunk() throws IOException {
            byte[] buf = new byte[chunkSize];
            int filled = 0;
            while (filled < buf.length) {
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            return filled == 0 ? null : ByteBuffer.wrap(buf, 0, filled);
        }
    }
}
