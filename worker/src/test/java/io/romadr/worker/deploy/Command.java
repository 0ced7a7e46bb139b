package io.romadr.worker.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A validator or script run to its exit: its status and output (stdout and stderr together, in order). */
record Command(List<String> argv, int exit, String output) {
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    static Command run(Path dir, Map<String, String> env, List<String> argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile("deploy-command", ".txt");
        try {
            ProcessBuilder b = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            b.environment().putAll(env);
            Process p = b.start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish within " + TIMEOUT + ":\n"
                        + Files.readString(out));
            }
            return new Command(List.copyOf(argv), p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Command run(Path dir, String... argv) throws IOException, InterruptedException {
        return run(dir, Map.of(), List.of(argv));
    }

    /** For assertion messages: the command, its status and its output. */
    String describe() {
        return String.join(" ", argv) + "\nexit " + exit + "\n" + output;
    }
}
