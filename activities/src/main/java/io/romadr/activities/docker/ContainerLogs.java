package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The last lines of a container's output: the one way activities read a log tail for a report. */
public final class ContainerLogs {
    private ContainerLogs() {
    }

    /**
     * The last {@code lines} lines of stdout and stderr as they are (the caller redacts), waiting at most
     * {@code timeout} for the engine; what arrived by then.
     */
    public static String tail(DockerClient docker, String id, int lines, Duration timeout)
            throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        synchronized (sb) {
                            sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (sb) {
            return sb.toString();
        }
    }

    /**
     * The last {@code maxBytes} bytes of the container's whole stdout and stderr, as the engine sends them (evidence:
     * kept as they are, never shown); reads the log through once, holding at most {@code maxBytes}. Waits at most
     * {@code timeout} for the engine.
     */
    public static byte[] lastBytes(DockerClient docker, String id, long maxBytes, Duration timeout)
            throws InterruptedException {
        ByteRing ring = new ByteRing((int) maxBytes);
        boolean done = docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTimestamps(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        ring.add(frame.getPayload());
                    }
                }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            throw new IllegalStateException("the log of " + id + " did not arrive within " + timeout);
        }
        return ring.bytes();
    }

    /** The last {@code capacity} bytes written to it. */
    private static final class ByteRing {
        private final byte[] buffer;
        private long written;

        ByteRing(int capacity) {
            buffer = new byte[capacity];
        }

        synchronized void add(byte[] bytes) {
            for (byte b : bytes) {
                if (buffer.length > 0) {
                    buffer[(int) (written % buffer.length)] = b;
                }
                written++;
            }
        }

        synchronized byte[] bytes() {
            int size = (int) Math.min(written, buffer.length);
            byte[] out = new byte[size];
            int start = (int) ((written - size) % Math.max(1, buffer.length));
            for (int i = 0; i < size; i++) {
                out[i] = buffer[(start + i) % buffer.length];
            }
            return out;
        }
    }
}
