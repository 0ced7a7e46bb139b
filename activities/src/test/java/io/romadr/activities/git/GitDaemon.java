package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.fail;

import io.romadr.activities.ProcessTrees;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real {@code git daemon} serving the bare repositories of one directory on a loopback port, pushes enabled.
 * {@link #stop()} and {@link #start()} again on the same port simulate a remote going away and coming back; close
 * kills the process tree. Readiness is a TCP connect, polled with a deadline.
 */
final class GitDaemon implements AutoCloseable {
    private static final Duration START_DEADLINE = Duration.ofSeconds(20);

    private final Path base;
    private final int port;
    private final Path log;
    private Process process;

    private GitDaemon(Path base, int port) {
        this.base = base;
        this.port = port;
        this.log = base.resolve("daemon.log");
    }

    static GitDaemon start(Path base) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GitDaemon daemon = new GitDaemon(base, port);
        daemon.start();
        return daemon;
    }

    void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder("git", "daemon", "--reuseaddr", "--base-path=" + base, "--export-all",
                "--enable=receive-pack", "--informative-errors", "--listen=127.0.0.1", "--port=" + port, base.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            fail("cannot start git daemon (part of Debian's git package): " + e.getMessage());
        }
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("git daemon exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50); // poll interval, bounded by the deadline
            }
        }
        fail("git daemon not listening on 127.0.0.1:" + port + " within " + START_DEADLINE + ": "
                + Files.readString(log));
    }

    void stop() throws InterruptedException {
        if (process != null) {
            ProcessTrees.stop(process);
            process = null;
        }
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

    int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
