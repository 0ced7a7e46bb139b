package io.romadr.worker.crash;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A roma-dr worker in its own JVM ({@code WorkerMain worker ...}) on the test JVM's classpath, its output in a log
 * file. {@link #kill9} is SIGKILL: no shutdown hook runs, in-flight activities are abandoned mid-call.
 */
public final class WorkerProcess implements AutoCloseable {
    static final String READY_LINE = "roma-dr worker on";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts the worker and waits (deadline {@link #READY_TIMEOUT}) until it says it polls. */
    public static WorkerProcess start(String name, Path logDir, String address, String taskQueue, Path plansDir)
            throws IOException {
        return start(name, logDir, address, taskQueue, plansDir, java.util.Map.of());
    }

    /** As above, with extra environment variables for the worker (e.g. credentials of an emulated AWS). */
    public static WorkerProcess start(String name, Path logDir, String address, String taskQueue, Path plansDir,
            java.util.Map<String, String> environment) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), "io.romadr.worker.WorkerMain", "worker",
                "--address", address, "--namespace", "default", "--task-queue", taskQueue,
                "--plans", plansDir.toString());
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        WorkerProcess worker = new WorkerProcess(name, process, log);
        try {
            worker.awaitReady();
        } catch (RuntimeException | Error e) {
            worker.kill9();
            throw e;
        }
        return worker;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (logText().contains(READY_LINE)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("worker " + name + " exited with code " + process.exitValue()
                        + " before it polled; its log (" + log + "):\n" + TemporalDevServer.tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("worker " + name + " did not print \"" + READY_LINE + "\" within "
                        + READY_TIMEOUT + "; its log (" + log + "):\n" + TemporalDevServer.tail(log));
            }
            TemporalDevServer.waitFor(process, 50);
        }
    }

    /** SIGKILL, then wait until the process is gone. */
    public void kill9() {
        TemporalDevServer.killTree(process);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    /**
     * The test JVM's real classpath. Surefire may start the JVM from a manifest-only jar (surefirebooter*.jar whose
     * manifest Class-Path lists everything); such a jar is expanded here so the child gets the same classes.
     */
    public static String classpath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry);
            if (p.getFileName() != null && p.getFileName().toString().startsWith("surefirebooter")
                    && p.toString().endsWith(".jar")) {
                entries.addAll(manifestClassPath(p));
            } else {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> manifestClassPath(Path jar) {
        List<String> out = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest m = jf.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp == null) {
                out.add(jar.toString());
                return out;
            }
            URI base = jar.toAbsolutePath().getParent().toUri();
            for (String item : cp.trim().split("\\s+")) {
                if (!item.isEmpty()) {
                    out.add(Path.of(base.resolve(item)).toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the manifest of " + jar, e);
        }
        return out;
    }

}
