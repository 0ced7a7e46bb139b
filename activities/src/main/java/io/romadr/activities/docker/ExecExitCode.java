package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.poll.Deadline;
import java.io.InterruptedIOException;
import java.time.Duration;

/** The exit code of a docker exec whose output stream has ended: the one way activities read it. */
public final class ExecExitCode {
    private static final Duration POLL = Duration.ofMillis(20);

    private ExecExitCode() {
    }

    /**
     * The stream ends as the process exits, but the code can lag behind by a moment; null if none came in
     * {@code wait}.
     */
    public static Long await(DockerClient docker, String execId, Duration wait) throws InterruptedIOException {
        Deadline deadline = Deadline.after(wait);
        while (true) {
            var info = docker.inspectExecCmd(execId).exec();
            if (!Boolean.TRUE.equals(info.isRunning()) && info.getExitCodeLong() != null) {
                return info.getExitCodeLong();
            }
            if (deadline.passed()) {
                return null;
            }
            Deadline.pause(POLL);
        }
    }
}
