package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.verify.LogRedactor;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * A compose service's containers on the engine, found by the labels {@link DockerServiceActivities#LABEL_PROJECT}
 * and {@link DockerServiceActivities#LABEL_SERVICE}, and the idempotent things done to one of them.
 */
final class ComposeContainers {
    static final int LOG_TAIL_CHARS = 4096;

    private final DockerClient docker;
    private final EngineCalls calls;
    private final ComposeContainerFinder finder;

    ComposeContainers(DockerClient docker, EngineCalls calls) {
        this.docker = docker;
        this.calls = calls;
        this.finder = new ComposeContainerFinder(docker);
    }

    /** Every container of the service, including a renamed {@code -romadr-old} one. */
    List<Container> all(String project, String service) {
        return finder.all(project, service);
    }

    /** The service's containers, without one left renamed by an interrupted recreate. */
    List<Container> current(String project, String service) {
        return finder.current(project, service);
    }

    Optional<InspectContainerResponse> inspect(String id) {
        try {
            return Optional.of(docker.inspectContainerCmd(id).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    void stop(String id, int timeoutSeconds) {
        try {
            docker.stopContainerCmd(id).withTimeout(timeoutSeconds).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
    }

    void start(ActivityExecutionContext ctx, Object details, String id) {
        calls.blocking(ctx, details, () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException e) {
                // already running
            }
            return null;
        });
    }

    /** Returns true if it had to start the container. */
    boolean ensureRunning(ActivityExecutionContext ctx, Object details, String id) {
        InspectContainerResponse i = inspect(id).orElse(null);
        if (i == null || Boolean.TRUE.equals(i.getState().getRunning())) {
            return false;
        }
        start(ctx, details, id);
        return true;
    }

    /** Removes a container, never its volumes; gone already is fine. */
    void remove(String id) {
        ContainerRemoval.force(docker, id, false);
    }

    /**
     * The last {@code lines} lines of the container's output, redacted and cut to {@link #LOG_TAIL_CHARS}. Blocks
     * on the engine (at most 20 s): call it on one of {@link EngineCalls}' helper threads.
     */
    String logTail(String id, int lines) {
        if (lines <= 0) {
            return "";
        }
        String text;
        try {
            text = ContainerLogs.tail(docker, id, lines, Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(logs unavailable: interrupted)";
        } catch (RuntimeException e) {
            return "(logs unavailable: " + e.getClass().getSimpleName() + ")";
        }
        return LogRedactor.redactTail(text, LOG_TAIL_CHARS);
    }

    static String name(Container c) {
        return c.getNames() == null || c.getNames().length == 0 ? c.getId() : bare(c.getNames()[0]);
    }

    static String bare(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    static String label(Container c, String key) {
        return c.getLabels() == null ? null : c.getLabels().get(key);
    }

    static String shortId(String id) {
        return id == null ? "" : id.substring(0, Math.min(12, id.length()));
    }

    /** An engine timestamp; null for the zero time of a container that never started, or one it cannot read. */
    static Instant parseTime(String text) {
        if (text == null || text.isBlank() || text.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
