package io.romadr.worker.crash;

import io.romadr.activities.LocalServerProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * A roma-dr worker in its own JVM ({@code WorkerMain worker ...}) on the test JVM's classpath, its output in a log
 * file. {@link #kill9} is SIGKILL: no shutdown hook runs, in-flight activities are abandoned mid-call.
 */
public final class WorkerProcess extends LocalServerProcess {
    static final String READY_LINE = "roma-dr worker on";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> command;
    private final Map<String, String> environment;

    private WorkerProcess(String name, Path log, List<String> command, Map<String, String> environment) {
        super("worker " + name, log, READY_TIMEOUT);
        this.command = command;
        this.environment = environment;
    }

    /** Starts the worker and waits (deadline {@link #READY_TIMEOUT}) until it says it polls. */
    public static WorkerProcess start(String name, Path logDir, String address, String taskQueue, Path plansDir)
            throws IOException {
        return start(name, logDir, address, taskQueue, plansDir, Map.of());
    }

    /** As above, with extra environment variables for the worker (e.g. credentials of an emulated AWS). */
    public static WorkerProcess start(String name, Path logDir, String address, String taskQueue, Path plansDir,
            Map<String, String> environment) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), "io.romadr.worker.WorkerMain", "worker",
                "--address", address, "--namespace", "default", "--task-queue", taskQueue,
                "--plans", plansDir.toString());
        Files.createDirectories(logDir);
        WorkerProcess worker = new WorkerProcess(name, logDir.resolve(name + ".log"), cmd, environment);
        worker.launch();
        return worker;
    }

    @Override
    protected List<String> command() {
        return command;
    }

    @Override
    protected Map<String, String> environment() {
        return environment;
    }

    @Override
    protected Optional<String> notReady() {
        return logText().contains(READY_LINE)
                ? Optional.empty()
                : Optional.of("it has not printed \"" + READY_LINE + "\" yet");
    }

    /** SIGKILL, then wait until the process is gone: no shutdown hook runs, in-flight activities are abandoned. */
    public void kill9() {
        kill();
    }

    /** Killed, not stopped: a worker's graceful shutdown would only make the tests slower. */
    @Override
    public void close() {
        kill();
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
