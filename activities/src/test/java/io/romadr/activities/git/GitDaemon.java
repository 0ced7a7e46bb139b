package io.romadr.activities.git;

import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The real {@code git daemon} serving the bare repositories of one directory on a loopback port, pushes enabled.
 * {@link #stop()} and {@link #start()} again on the same port simulate a remote going away and coming back; close
 * kills the process tree. Readiness is a TCP connect, polled with a deadline.
 */
public final class GitDaemon extends LocalServerProcess {
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);

    private final Path base;
    private final int port;

    private GitDaemon(Path base, int port) {
        super("git daemon", base.resolve("daemon.log"), START_DEADLINE);
        this.base = base;
        this.port = port;
    }

    public static GitDaemon start(Path base) throws Exception {
        GitDaemon daemon = new GitDaemon(base, freePort());
        daemon.start();
        return daemon;
    }

    /** Starts the daemon again on the same port (no-op while it runs). */
    public void start() {
        launch();
    }

    @Override
    protected List<String> command() {
        return List.of("git", "daemon", "--reuseaddr", "--base-path=" + base, "--export-all",
                "--enable=receive-pack", "--informative-errors", "--listen=127.0.0.1", "--port=" + port,
                base.toString());
    }

    @Override
    protected String cannotStart(IOException e) {
        return "cannot start git daemon (part of Debian's git package): " + e.getMessage();
    }

    @Override
    protected Optional<String> notReady() {
        return listening(port);
    }

    /** A new empty bare repository {@code name}.git; pushes to it stay loose objects (no packing, no gc). */
    Path createBare(String name) throws IOException, InterruptedException {
        Path dir = base.resolve(name + ".git");
        Files.createDirectories(dir);
        GitCli.run(dir, "init", "-q", "--bare");
        GitCli.run(dir, "config", "receive.unpackLimit", "1000000");
        GitCli.run(dir, "config", "gc.auto", "0");
        return dir;
    }

    String url(String name) {
        return "git://127.0.0.1:" + port + "/" + name + ".git";
    }

    public int port() {
        return port;
    }
}
