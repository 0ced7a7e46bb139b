package io.romadr.activities;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real server run by a test as a child process on 127.0.0.1 (moto, OpenBao, docker-registry, git daemon, the
 * Temporal dev server, Alertmanager, a worker JVM): the one place for free ports, finding the binary, starting the
 * process with its output in a log file, waiting for readiness with a deadline, and stopping the whole process tree.
 *
 * <p>A subclass says how it is started ({@link #command()}) and when it is ready ({@link #notReady()}); its factory
 * builds it and calls {@link #launch()}. When the server does not come up, launch closes the harness and throws an
 * {@link IllegalStateException} with the reason and the tail of the log. A missing binary is a failure with the
 * install hint, never a skip. A tool that does its job and exits (headless Chromium) uses {@link #runToExit} instead.
 */
public abstract class LocalServerProcess implements AutoCloseable {
    /** Between readiness probes; the wait returns early when the process exits. */
    private static final long POLL_MILLIS = 50;
    /** SIGTERM first; what is still running after this gets SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path log;
    private final Duration startDeadline;
    private Process process;

    /**
     * @param name          what the failure messages call it, e.g. {@code "moto_server"}
     * @param log           the file the server's stdout and stderr are appended to
     * @param startDeadline how long {@link #launch()} waits for {@link #notReady()} to say ready
     */
    protected LocalServerProcess(String name, Path log, Duration startDeadline) {
        this.name = name;
        this.log = log;
        this.startDeadline = startDeadline;
    }

    /** The command line that starts the server. */
    protected abstract List<String> command();

    /** Empty when the server answers as it should; otherwise why not yet (shown when the deadline passes). */
    protected abstract Optional<String> notReady() throws IOException, InterruptedException;

    /** Extra environment for the server; none by default. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** Why the command could not be started at all, with how to install it; the I/O error by default. */
    protected String cannotStart(IOException e) {
        return "cannot start " + name + ": " + e.getMessage();
    }

    /**
     * Starts the server (unless it runs) and waits until it is ready. On failure the harness is closed and an
     * {@link IllegalStateException} says why, with the tail of the log.
     */
    protected final void launch() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment());
            try {
                // Output goes to a file so a chatty server can never block on a full pipe.
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException(cannotStart(e), e);
            }
            awaitReady();
        } catch (RuntimeException | Error e) {
            closeQuietly();
            throw e;
        }
    }

    /**
     * For a command that does its job and exits (headless Chromium taking a screenshot) instead of serving: starts
     * {@link #command()}, waits for it to exit within {@code deadline} (then kills it and everything it started) and
     * returns its exit code. Its output goes to the log; with {@code stdout} given, its standard output goes to that
     * file instead (what the command produces) and only its standard error to the log. {@link #notReady()} is not
     * used.
     */
    protected final int runToExit(Duration deadline, Path stdout) {
        ProcessBuilder builder = new ProcessBuilder(command())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (stdout == null) {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        } else {
            builder.redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        builder.environment().putAll(environment());
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(cannotStart(e), e);
        }
        try {
            if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + deadline + "; its log (" + log
                        + "):\n" + logTail());
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startDeadline.toNanos();
        String last = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; its log (" + log + "):\n" + logTail());
            }
            try {
                Optional<String> problem = notReady();
                if (problem.isEmpty()) {
                    return;
                }
                last = problem.get();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready within " + startDeadline + " (" + last
                        + "); its log (" + log + "):\n" + logTail());
            }
            waitForExit(POLL_MILLIS);
        }
    }

    /** Waits up to {@code millis} for the process to end: a bounded pause between polls that returns on exit. */
    public final void waitForExit(long millis) {
        try {
            process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Stops the process and everything it started (pip-installed tools such as {@code bao} and {@code moto_server}
     * are Python wrappers whose real server is a grandchild): SIGTERM to all, then SIGKILL after a grace period.
     */
    public final void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = process.toHandle().descendants().toList();
        tree.forEach(ProcessHandle::destroy);
        process.destroy();
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        try {
            if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to the process and its descendants (no shutdown hook runs), then waits until it is gone. */
    public final void kill() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still runs 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public final boolean isAlive() {
        return process != null && process.isAlive();
    }

    public final long pid() {
        return process.pid();
    }

    /** The running process, for tests that watch it directly. */
    protected final Process process() {
        return process;
    }

    public final Path logFile() {
        return log;
    }

    /** The server's output so far ("" before it wrote any). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** The last lines of the log, for failure messages. */
    public final String logTail() {
        return logTail(TAIL_LINES);
    }

    public final String logTail(int n) {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** Stops the server (SIGTERM, then SIGKILL after the grace period); subclasses add their own clean-up. */
    @Override
    public void close() {
        stop();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            e.printStackTrace(); // the start failure is what the caller needs to see; this one only goes to the log
        }
    }

    /** Deletes a file or directory tree the harness made; what cannot be deleted stays (it is in a temp dir). */
    protected static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it: a temp file
        }
    }

    // ---- helpers for subclasses -------------------------------------------------------------------------------

    /** A free TCP port on 127.0.0.1 (free when probed; the caller binds it soon after). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /**
     * The binary: {@code $envOverride} when set (it must be executable), else the first of {@code names} on PATH;
     * otherwise a failure naming how to install it.
     */
    public static String executable(String envOverride, String installHint, String... names) {
        String override = envOverride == null ? null : System.getenv(envOverride);
        if (override != null && !override.isBlank()) {
            if (!Files.isExecutable(Path.of(override))) {
                throw new IllegalStateException(envOverride + "=" + override + " is not an executable file");
            }
            return override;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String binary : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = dir.isEmpty() ? null : Path.of(dir, binary);
                if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new IllegalStateException(String.join(" or ", names) + " not found on PATH (" + path + "); "
                + installHint + (envOverride == null ? "" : " (or set " + envOverride + " to the binary)"));
    }

    /** Readiness: {@code GET url} answers {@code status} ({@code -1}: any status). */
    public static Optional<String> httpAnswers(URI url, int status) throws IOException, InterruptedException {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return status == -1 || r.statusCode() == status
                ? Optional.empty()
                : Optional.of("GET " + url + ": HTTP " + r.statusCode());
    }

    /** Readiness: something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static Optional<String> listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("nothing listening on 127.0.0.1:" + port + " (" + e.getMessage() + ")");
        }
    }
}
