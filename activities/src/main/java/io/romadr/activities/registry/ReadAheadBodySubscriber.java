package io.romadr.activities.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as an InputStream that lets the client read ahead. The JDK's {@code BodyHandlers.ofInputStream}
 * asks for one buffer (16 KiB) at a time, so the socket is read only after the consumer took the previous buffer:
 * every 16 KiB costs a hand-off between the client's selector thread and the consumer, and the two never overlap.
 * Here up to {@link #READ_AHEAD} buffers may be waiting (~1 MiB with the client's default buffer size), so the
 * download keeps running while the consumer hashes and uploads.
 */
final class ReadAheadBodySubscriber implements HttpResponse.BodySubscriber<InputStream> {
    static final int READ_AHEAD = 64;

    /** Marks the end of the body in the queue. */
    private static final List<ByteBuffer> END = List.of();

    private final BlockingQueue<List<ByteBuffer>> received = new LinkedBlockingQueue<>();
    private final Body body = new Body();
    private volatile Flow.Subscription subscription;
    private volatile Throwable failure;

    static HttpResponse.BodyHandler<InputStream> handler() {
        return info -> new ReadAheadBodySubscriber();
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(body); // available at once, like ofInputStream: headers come first
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (body.closed) {
            s.cancel();
            return;
        }
        s.request(READ_AHEAD);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        received.add(item);
    }

    @Override
    public void onError(Throwable t) {
        failure = t;
        received.add(END);
    }

    @Override
    public void onComplete() {
        received.add(END);
    }

    private final class Body extends InputStream {
        private List<ByteBuffer> current = List.of();
        private int index;
        private boolean ended;
        private volatile boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("body stream closed");
            }
            if (len == 0) {
                return 0;
            }
            ByteBuffer buf = nextNonEmpty();
            if (buf == null) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }

        /** The buffer to read from, waiting for the next item when the current one is used up; null at the end. */
        private ByteBuffer nextNonEmpty() throws IOException {
            while (true) {
                while (index < current.size()) {
                    ByteBuffer buf = current.get(index);
                    if (buf.hasRemaining()) {
                        return buf;
                    }
                    index++;
                }
                if (ended) {
                    return null;
                }
                if (current != END && !current.isEmpty()) {
                    subscription.request(1); // one item used up: room for one more
                }
                try {
                    current = received.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading the response body", e);
                }
                index = 0;
                if (current == END) {
                    ended = true;
                    if (failure != null) {
                        throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
                    }
                }
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Flow.Subscription s = subscription;
            if (s != null && !ended) {
                s.cancel(); // the rest of the body is not wanted: the client closes the connection
            }
            received.clear();
        }
    }
}
