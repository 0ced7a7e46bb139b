package io.romadr.worker.image;

import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One command run to its end ({@link LocalServerProcess#runToExit}): the {@code docker} CLI exactly as an operator
 * types it, or the image's build script. Standard output and standard error go to files of {@code workDir}; a
 * command that does not finish within its deadline is killed and fails the test.
 */
final class CliCommand extends LocalServerProcess {
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** What a finished command left: its exit code, standard output and the log of its standard error. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        Result orFail() {
            if (exitCode != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode
                        + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }

    private final List<String> command;

    private CliCommand(List<String> command, Path log) {
        super(command.get(0), log, Duration.ZERO);
        this.command = command;
    }

    /** {@code docker <args>}. */
    static Result docker(Path workDir, Duration deadline, List<String> args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(args);
        return run(workDir, deadline, command);
    }

    /** Any command (the build script), from the current directory. */
    static Result run(Path workDir, Duration deadline, List<String> command) {
        try {
            Files.createDirectories(workDir);
            int n = COUNT.incrementAndGet();
            Path stdout = workDir.resolve("cmd-" + n + ".out");
            Path stderr = workDir.resolve("cmd-" + n + ".err");
            int exit = new CliCommand(command, stderr).runToExit(deadline, stdout);
            return new Result(command, exit, Files.readString(stdout, StandardCharsets.UTF_8).strip(),
                    Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.UTF_8).strip() : "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> command() {
        return command;
    }

    @Override
    protected Optional<String> notReady() {
        return Optional.empty();
    }

    @Override
    protected String cannotStart(IOException e) {
        return "cannot run " + String.join(" ", command) + " (" + e.getMessage() + "): install the Docker CLI"
                + " (apt-get install docker.io); this test is never skipped";
    }
}
