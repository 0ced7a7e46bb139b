package io.romadr.worker.it;

import io.romadr.worker.WorkerMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A roma-dr worker in its own JVM ({@code WorkerMain worker ...}), so a test can kill -9 it. */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess start(String address, String taskQueue, Path plansDir, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName(), "worker", "--address", address, "--namespace", "default",
                "--task-queue", taskQueue, "--plans", plansDir.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        WorkerProcess w = new WorkerProcess(p, log);
        w.awaitLine("roma-dr worker on", Duration.ofSeconds(60));
        return w;
    }

    private void awaitLine(String text, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("worker exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            Poll.pause();
        }
        kill9();
        throw new IllegalStateException("worker did not start within " + timeout + ":\n" + Files.readString(log));
    }

    /** SIGKILL: no shutdown hook, no graceful drain; in-flight activities are lost with the process. */
    public void kill9() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }
}
