package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.plan.ExecCheck;
import io.romadr.plan.HealthCheck;
import io.romadr.scenario.servicefailure.CheckResult;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A plan's health checks: HTTP probes, and commands run with docker exec in a running container of a service. */
public final class ServiceChecks {
    static final int CHECK_OUTPUT_CHARS = 1024;

    private final DockerClient docker;
    private final HttpProbe http;
    private final ComposeContainers containers;
    private final EngineCalls calls;

    ServiceChecks(DockerClient docker, HttpProbe http, ComposeContainers containers, EngineCalls calls) {
        this.docker = docker;
        this.http = http;
        this.containers = containers;
        this.calls = calls;
    }

    /** One round: every check in parallel, heartbeating while they run. */
    List<CheckResult> runChecks(ActivityExecutionContext ctx, Object details, HealthRequest request) {
        List<Future<CheckResult>> futures = new ArrayList<>();
        for (HealthCheck c : request.checks()) {
            futures.add(calls.submit(() -> runCheck(request.composeProject(), c)));
        }
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            HealthCheck c = request.checks().get(i);
            try {
                results.add(EngineCalls.await(ctx, details, futures.get(i)));
            } catch (RuntimeException e) {
                results.add(new CheckResult(c.name(), false, "check failed: "
                        + LogRedactor.redact(String.valueOf(e.getMessage()))));
            }
        }
        return results;
    }

    private CheckResult runCheck(String project, HealthCheck c) {
        if (c.http() != null) {
            return http.probe(c.name(), c.http());
        }
        return execCheck(project, c.name(), c.exec());
    }

    private CheckResult execCheck(String project, String name, ExecCheck e) {
        Container target = containers.current(project, e.service()).stream()
                .filter(c -> "running".equals(c.getState())).findFirst().orElse(null);
        if (target == null) {
            return new CheckResult(name, false, "no running container for service " + e.service());
        }
        return execCheckIn(docker, target.getId(), ComposeContainers.name(target), name, e);
    }

    /**
     * Runs an exec check's command in the given container (also one that belongs to no compose service, e.g. a
     * test-restore sandbox): healthy when it exits 0 within the check's timeout; output is redacted and cut.
     */
    public static CheckResult execCheckIn(DockerClient docker, String containerId, String containerName, String name,
            ExecCheck e) {
        long start = System.nanoTime();
        ExecOutput out;
        try {
            out = exec(docker, containerId, e.command(), e.timeout());
        } catch (NotFoundException | com.github.dockerjava.api.exception.ConflictException ex) {
            return new CheckResult(name, false, "container " + containerName + " went away: " + ex.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        String tail = out.output().isBlank()
                ? ""
                : ": " + LogRedactor.redactTail(out.output().strip(),
                        CHECK_OUTPUT_CHARS);
        if (out.timedOut()) {
            return new CheckResult(name, false, "timed out after " + e.timeout().toMillis() + " ms in "
                    + containerName + tail);
        }
        return new CheckResult(name, out.exitCode() == 0, "exit " + out.exitCode() + " in " + ms + " ms" + tail);
    }

    /** What a command run with docker exec printed and how it ended. */
    record ExecOutput(long exitCode, boolean timedOut, String output) {
    }

    static ExecOutput exec(DockerClient docker, String containerId, List<String> command, Duration timeout) {
        String execId = docker.execCreateCmd(containerId).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId();
        StringBuilder sb = new StringBuilder();
        ResultCallback.Adapter<Frame> cb = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (sb) {
                    if (sb.length() < 64 * 1024) {
                        sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                }
            }
        };
        boolean finished;
        try {
            finished = docker.execStartCmd(execId).exec(cb).awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        String output;
        synchronized (sb) {
            output = sb.toString();
        }
        if (!finished) {
            try {
                cb.close();
            } catch (IOException ignored) {
                // best effort
            }
            return new ExecOutput(-1, true, output);
        }
        Long code;
        try {
            code = ExecExitCode.await(docker, execId, Duration.ofSeconds(5));
        } catch (InterruptedIOException ex) {
            code = null;
        }
        return code == null ? new ExecOutput(-1, true, output) : new ExecOutput(code, false, output);
    }
}
