package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The last lines of a container's output: the one way activities read a log tail for a report. */
public final class ContainerLogs {
    private ContainerLogs() {
    }

    /**
     * The last {@code lines} lines of stdout and stderr as they are (the caller redacts), waiting at most
     * {@code timeout} for the engine; what arrived by then.
     */
    public static String tail(DockerClient docker, String id, int lines, Duration timeout)
            throws InterruptedException {
        StringBuilder sb = new StringBuilder();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        synchronized (sb) {
                            sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }
                }).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (sb) {
            return sb.toString();
        }
    }
}
