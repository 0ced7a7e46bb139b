package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * The engine's version and root directory, as assess reports them. They are the engine's two slowest reads (10-20 ms
 * each here, the others take 2-4 ms) and change only when the engine restarts with other settings, so a read younger
 * than {@link #FRESH} is used at once and a new one is started behind it; the worker reads them when it starts, so a
 * first recovery does not wait either. Whether the engine answers is never taken from here: assess pings it.
 */
final class EngineFacts {
    static final Duration FRESH = Duration.ofMinutes(1);

    /** What one read found, and when (the clock's nanoseconds). */
    record Facts(String version, String rootDir, long readAtNanos) {
    }

    private final DockerClient docker;
    private final EngineCalls calls;
    private final LongSupplier nanos;
    private Facts last;
    private Future<Facts> reading;

    EngineFacts(DockerClient docker, EngineCalls calls, LongSupplier nanos) {
        this.docker = docker;
        this.calls = calls;
        this.nanos = nanos;
    }

    /** Starts a read in the background (the worker's start), so the first assessment finds the facts. */
    synchronized void prefetch() {
        read();
    }

    /**
     * Facts read within {@link #FRESH}, at once (and a new read started when they are older than half of it); else
     * the future of a read, which fails as the engine's call failed.
     */
    synchronized Future<Facts> get() {
        long now = nanos.getAsLong();
        if (last != null && now - last.readAtNanos() < FRESH.toNanos()) {
            if (now - last.readAtNanos() > FRESH.toNanos() / 2) {
                read();
            }
            return CompletableFuture.completedFuture(last);
        }
        return read();
    }

    private Future<Facts> read() {
        if (reading != null && !reading.isDone()) {
            return reading;
        }
        reading = calls.submit(() -> {
            Info info = docker.infoCmd().exec();
            Facts f = new Facts(info.getServerVersion() == null ? "" : info.getServerVersion(),
                    info.getDockerRootDir(), nanos.getAsLong());
            synchronized (this) {
                last = f;
            }
            return f;
        });
        return reading;
    }
}
