package io.romadr.activities.process;

import io.romadr.activities.verify.LogRedactor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command on the worker host: in a working directory, with extra environment, stdout and stderr merged, a
 * timeout that kills the whole process tree. {@code onTick} is called about every second while it runs (heartbeats).
 */
public class HostCommandRunner {
    static final int KEEP_BYTES = 64 * 1024;
    public static final int TAIL_CHARS = 4096;

    /** How a command ended. {@code outputTail} is redacted and at most ~4 KB. */
    public record Result(int exitCode, boolean timedOut, String outputTail, long millis) {
        public boolean ok() {
            return !timedOut && exitCode == 0;
        }
    }

    public Result run(List<String> command, Path workdir, Map<String, String> env, Duration timeout, Runnable onTick)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workdir != null) {
            pb.directory(workdir.toFile());
        }
        if (env != null) {
            pb.environment().putAll(env);
        }
        long start = System.nanoTime();
        Process process = pb.start();
        TailBuffer tail = new TailBuffer(KEEP_BYTES);
        Thread reader = new Thread(() -> tail.drain(process.getInputStream()), "cmd-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        long deadline = start + timeout.toNanos();
        boolean timedOut = false;
        try {
            while (!process.waitFor(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                    TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() >= deadline) {
                    timedOut = true;
                    killTree(process);
                    break;
                }
                if (onTick != null) {
                    onTick.run();
                }
            }
        } catch (InterruptedException | RuntimeException e) {
            killTree(process); // cancelled (e.g. heartbeat reported cancellation): do not leave it running
            throw e;
        }
        reader.join(2000);
        long millis = (System.nanoTime() - start) / 1_000_000;
        int exit = timedOut ? -1 : process.exitValue();
        return new Result(exit, timedOut, LogRedactor.redactTail(tail.text(), TAIL_CHARS), millis);
    }

    static void killTree(Process process) {
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> children = handle.descendants().toList();
        handle.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Keeps the last {@code capacity} bytes of a stream. */
    static final class TailBuffer {
        private final byte[] ring;
        private long written;

        TailBuffer(int capacity) {
            ring = new byte[capacity];
        }

        void drain(InputStream in) {
            byte[] buf = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    append(buf, n);
                }
            } catch (IOException ignored) {
                // process killed: keep what was read
            }
        }

        synchronized void append(byte[] buf, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (written++ % ring.length)] = buf[i];
            }
        }

        synchronized String text() {
            int len = (int) Math.min(written, ring.length);
            byte[] out = new byte[len];
            long from = written - len;
            for (int i = 0; i < len; i++) {
                out[i] = ring[(int) ((from + i) % ring.length)];
            }
            return new String(out, StandardCharsets.UTF_8);
        }
    }
}
