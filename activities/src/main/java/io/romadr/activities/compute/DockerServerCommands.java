package io.romadr.activities.compute;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.romadr.activities.docker.ExecExitCode;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Commands in a server container of the docker provider: docker exec, awaited up to the command's timeout while
 * heartbeating, with stdout and stderr tails and the exit code. Env values never appear in errors.
 */
final class DockerServerCommands {
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    private static final Duration HELPER_TIMEOUT = Duration.ofMinutes(2);

    private final DockerClient docker;

    DockerServerCommands(DockerClient docker) {
        this.docker = docker;
    }

    CommandResult exec(String serverId, List<String> argv, String workdir, Map<String, String> env,
            Duration timeout, Runnable beat) throws IOException {
        String execId;
        try {
            var create = docker.execCreateCmd(serverId)
                    .withCmd(argv.toArray(String[]::new))
                    .withAttachStdout(true)
                    .withAttachStderr(true);
            if (workdir != null && !workdir.isBlank()) {
                create.withWorkingDir(workdir);
            }
            if (!env.isEmpty()) {
                create.withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            }
            execId = create.exec().getId();
        } catch (DockerException e) {
            throw DockerHostCompute.failure("exec of " + argv.get(0) + " in server " + serverId, e, env.values());
        }
        OutputTail out = new OutputTail();
        OutputTail err = new OutputTail();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                if (frame.getStreamType() == StreamType.STDERR) {
                    err.append(frame.getPayload());
                } else {
                    out.append(frame.getPayload());
                }
            }
        };
        Deadline deadline = Deadline.after(timeout);
        boolean finished = false;
        try {
            docker.execStartCmd(execId).exec(callback);
            while (!finished) {
                beat.run();
                if (deadline.passed()) {
                    break;
                }
                finished = callback.awaitCompletion(deadline.next(HEARTBEAT_EVERY).toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(callback);
            throw new IOException("interrupted while running " + argv.get(0) + " in server " + serverId);
        } catch (DockerException e) {
            closeQuietly(callback);
            throw DockerHostCompute.failure("exec of " + argv.get(0) + " in server " + serverId, e, env.values());
        }
        if (!finished) {
            closeQuietly(callback);
            String stderr = err.text() + (err.text().isEmpty() ? "" : "\n") + "timed out after "
                    + timeout.toSeconds() + " s (the command may still be running on the server)";
            return new CommandResult(-1, out.text(), OutputTail.tail(stderr, OutputTail.DEFAULT_LIMIT), execId);
        }
        Long code;
        try {
            code = ExecExitCode.await(docker, execId, Duration.ofSeconds(10));
        } catch (DockerException e) {
            throw DockerHostCompute.failure("inspecting exec of " + argv.get(0) + " in server " + serverId, e,
                    env.values());
        }
        return code == null
                ? new CommandResult(-1, out.text(), err.text() + "\nno exit code reported", execId)
                : new CommandResult(code.intValue(), out.text(), err.text(), execId);
    }

    /** A command the provider itself needs (mkdir); a failure is an exception naming it. */
    void helper(String serverId, List<String> argv, String what) throws IOException {
        CommandResult r = exec(serverId, argv, null, Map.of(), HELPER_TIMEOUT, () -> {
        });
        if (!r.ok()) {
            throw new IOException(what + " in server " + serverId + " failed (exit " + r.exitCode() + "): "
                    + OutputTail.tail(r.stderrTail().strip(), 512));
        }
    }

    private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
        try {
            callback.close();
        } catch (IOException ignored) {
            // best effort
        }
    }
}
