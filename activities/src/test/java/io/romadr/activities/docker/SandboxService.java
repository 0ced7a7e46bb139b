package io.romadr.activities.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ROMA-like service for tests, drills and benchmarks: compose project {@code composeProject} with services
 * {@code roma} and {@code roma-api}, each a busybox httpd serving {@code /health} ("ok") on container port 8080,
 * published on 127.0.0.1 at a free port. The command writes the health file at every start, so a restart heals a
 * container whose health was broken with {@link #breakHealth}.
 */
public final class SandboxService {
    public static final List<String> SERVICES = List.of("roma", "roma-api");
    static final int CONTAINER_PORT = 8080;
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** Tries with new ports when the engine finds a free port taken (see {@link #create}). */
    private static final int PORT_ATTEMPTS = 3;

    /**
     * @param startDelaySeconds the container sleeps this long before it serves (a slow start)
     * @param init              run with docker's init; without it httpd is PID 1, ignores SIGTERM, and every stop
     *                          waits out the stop timeout
     */
    public record Options(int startDelaySeconds, boolean init) {
        public static Options defaults() {
            return new Options(0, true);
        }
    }

    private final DockerClient docker;
    private final String composeProject;
    private final String image;
    private final Options options;
    private final Map<String, Integer> ports;
    private final ComposeContainerFinder finder;

    private SandboxService(DockerClient docker, String composeProject, String image, Options options,
            Map<String, Integer> ports) {
        this.docker = docker;
        this.composeProject = composeProject;
        this.image = image;
        this.options = options;
        this.ports = ports;
        this.finder = new ComposeContainerFinder(docker);
    }

    /** Creates and starts both containers and waits until both answer 200 on /health. */
    public static SandboxService create(DockerClient docker, String composeProject, String image, Options options) {
        return create(docker, composeProject, image, options, SERVICES);
    }

    /**
     * With only some of {@link #SERVICES} (e.g. {@code roma} alone: a benchmark of hundreds of sandboxes pays one
     * container each); its plan names only those.
     */
    public static SandboxService create(DockerClient docker, String composeProject, String image, Options options,
            List<String> services) {
        if (services.isEmpty() || !SERVICES.containsAll(services)) {
            throw new IllegalArgumentException("services must be some of " + SERVICES + ", got " + services);
        }
        if (SandboxImage.DEFAULT_IMAGE.equals(image)) {
            SandboxImage.ensure(docker);
        } else if (!SandboxImage.exists(docker, image)) {
            throw new IllegalStateException("image " + image + " is not on the Docker engine (nothing is pulled)");
        }
        for (int attempt = 1;; attempt++) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String service : services) {
                ports.put(service, freePort());
            }
            SandboxService sandbox = new SandboxService(docker, composeProject, image, options, ports);
            try {
                for (String service : services) {
                    sandbox.createContainer(service);
                }
                sandbox.awaitHealthy(READY_TIMEOUT.plusSeconds(options.startDelaySeconds()));
                return sandbox;
            } catch (RuntimeException e) {
                sandbox.destroy();
                // A free port is only free until someone binds it: with hundreds of sandboxes made in parallel
                // (the scale benchmark) and client connections taking ephemeral ports, the engine can find it
                // taken. New ports, a few times.
                if (attempt >= PORT_ATTEMPTS || !String.valueOf(e.getMessage()).contains("port is already allocated")) {
                    throw e;
                }
            }
        }
    }

    private void createContainer(String service) {
        ExposedPort port = ExposedPort.tcp(CONTAINER_PORT);
        Ports bindings = new Ports();
        bindings.bind(port, Ports.Binding.bindIpAndPort("127.0.0.1", hostPort(service)));
        String id = docker.createContainerCmd(image)
                .withName(containerName(service))
                .withLabels(Map.of(
                        DockerServiceActivities.LABEL_PROJECT, composeProject,
                        DockerServiceActivities.LABEL_SERVICE, service,
                        "com.docker.compose.container-number", "1",
                        "com.docker.compose.oneoff", "False",
                        "io.romadr.sandbox", "true"))
                .withCmd(command())
                .withExposedPorts(port)
                .withHostConfig(HostConfig.newHostConfig()
                        .withPortBindings(bindings)
                        .withInit(options.init())
                        .withRestartPolicy(RestartPolicy.noRestart()))
                .exec().getId();
        docker.startContainerCmd(id).exec();
    }

    /** The container command: (re)create the health file, then serve it. */
    List<String> command() {
        String serve = "mkdir -p /www && echo ok > /www/health && exec httpd -f -p " + CONTAINER_PORT + " -h /www";
        return List.of("sh", "-c", options.startDelaySeconds() > 0
                ? "sleep " + options.startDelaySeconds() + " && " + serve
                : serve);
    }

    public String composeProject() {
        return composeProject;
    }

    public List<String> services() {
        return List.copyOf(ports.keySet());
    }

    public int hostPort(String service) {
        Integer port = ports.get(service);
        if (port == null) {
            throw new IllegalArgumentException(
                    "no service \"" + service + "\" in the sandbox; services: " + services());
        }
        return port;
    }

    public String healthUrl(String service) {
        return "http://127.0.0.1:" + hostPort(service) + "/health";
    }

    public String containerName(String service) {
        return composeProject + "-" + service + "-1";
    }

    /**
     * A plan for {@link io.romadr.plan.PlanLoader}; {@code planName} must equal the name of the file it is written
     * to ({@code <planName>.yaml}). Durations as the loader reads them, e.g. "15m", "30s".
     */
    public String planYaml(String planName, String rto, String waitHealthy, String pollInterval, String stopTimeout,
            String watchWindow, String watchInterval) {
        StringBuilder y = new StringBuilder();
        y.append("# Sandbox plan generated by roma-dr's SandboxService for compose project ").append(composeProject)
                .append('\n');
        y.append("name: ").append(planName).append('\n');
        y.append("description: \"sandbox ROMA service (busybox httpd), compose project ").append(composeProject)
                .append("\"\n");
        y.append("service:\n");
        y.append("  composeProject: ").append(q(composeProject)).append('\n');
        y.append("  containers:\n");
        for (String service : services()) {
            y.append("    - service: ").append(q(service)).append('\n');
            y.append("      template:\n");
            y.append("        image: ").append(q(image)).append('\n');
            y.append("        command: [");
            List<String> cmd = command();
            for (int i = 0; i < cmd.size(); i++) {
                y.append(i == 0 ? "" : ", ").append(q(cmd.get(i)));
            }
            y.append("]\n");
            y.append("        ports: [").append(q("127.0.0.1:" + hostPort(service) + ":" + CONTAINER_PORT))
                    .append("]\n");
            y.append("        init: ").append(options.init()).append('\n');
            y.append("        restartPolicy: \"no\"\n");
            y.append("        labels: { io.romadr.sandbox: \"true\" }\n");
        }
        y.append("  healthChecks:\n");
        for (String service : services()) {
            y.append("    - name: ").append(q(service + "-http")).append('\n');
            y.append("      http: { url: ").append(q(healthUrl(service)))
                    .append(", expectStatus: 200, timeout: 2s }\n");
        }
        y.append("  smoke:\n");
        y.append("    - name: roma-smoke\n");
        y.append("      exec: { service: roma, command: [cat, /www/health], timeout: 10s }\n");
        y.append("  logTailLines: 20\n");
        y.append("rto:\n");
        y.append("  service: ").append(rto).append('\n');
        y.append("recovery:\n");
        y.append("  waitHealthy: ").append(waitHealthy).append('\n');
        y.append("  pollInterval: ").append(pollInterval).append('\n');
        y.append("  stopTimeout: ").append(stopTimeout).append('\n');
        y.append("  watchWindow: ").append(watchWindow).append('\n');
        y.append("  watchInterval: ").append(watchInterval).append('\n');
        return y.toString();
    }

    private static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- faults ----------------------------------------------------------------------------------------------------

    /** SIGKILL: the container ends up exited (137). */
    public void kill(String service) {
        String id = requireId(service);
        try {
            docker.killContainerCmd(id).exec();
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            // not running
        }
        awaitNotRunning(id);
    }

    /** A clean stop: the container ends up exited. */
    public void stop(String service) {
        String id = requireId(service);
        try {
            docker.stopContainerCmd(id).withTimeout(10).exec();
        } catch (NotModifiedException e) {
            // already stopped
        }
        awaitNotRunning(id);
    }

    /** Force-removes the service's container (its volumes stay). */
    public void remove(String service) {
        String id = containerId(service);
        if (id != null) {
            ContainerRemoval.force(docker, id, true);
        }
    }

    /** Unhealthy but running: the health file is deleted, so /health answers 404 until the container restarts. */
    public void breakHealth(String service) {
        String id = requireId(service);
        ServiceChecks.ExecOutput out = ServiceChecks.exec(docker, id, List.of("rm", "-f", "/www/health"),
                Duration.ofSeconds(10));
        if (out.timedOut() || out.exitCode() != 0) {
            throw new IllegalStateException("could not break the health of " + service + ": " + out);
        }
    }

    /** The id of the service's container (not one left renamed by a recreate); null if there is none. */
    public String containerId(String service) {
        return finder.current(composeProject, service).stream().map(Container::getId).findFirst().orElse(null);
    }

    public Instant startedAt(String service) {
        InspectContainerResponse i = docker.inspectContainerCmd(requireId(service)).exec();
        return ComposeContainers.parseTime(i.getState().getStartedAt());
    }

    /** Removes every container of the compose project; safe to call twice. */
    public void destroy() {
        for (Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, composeProject)).exec()) {
            ContainerRemoval.force(docker, c.getId(), true);
        }
    }

    /** Polls both health URLs until they answer 200. */
    public void awaitHealthy(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Deadline deadline = Deadline.after(timeout);
        for (String service : services()) {
            String last = "";
            while (true) {
                try {
                    int status = client.send(HttpRequest.newBuilder(URI.create(healthUrl(service)))
                            .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    if (status == 200) {
                        break;
                    }
                    last = "HTTP " + status;
                } catch (IOException e) {
                    last = e.toString();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                if (deadline.passed()) {
                    throw new IllegalStateException("sandbox service " + service + " of " + composeProject
                            + " did not answer 200 on " + healthUrl(service) + " within " + timeout + ": " + last);
                }
                pause(Duration.ofMillis(100));
            }
        }
    }

    private void awaitNotRunning(String id) {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (true) {
            try {
                if (!Boolean.TRUE.equals(docker.inspectContainerCmd(id).exec().getState().getRunning())) {
                    return;
                }
            } catch (NotFoundException e) {
                return;
            }
            if (deadline.passed()) {
                throw new IllegalStateException("container " + id + " still runs");
            }
            pause(Duration.ofMillis(50));
        }
    }

    private String requireId(String service) {
        String id = containerId(service);
        if (id == null) {
            throw new IllegalStateException("no container for service " + service + " in " + composeProject);
        }
        return id;
    }

    private static void pause(Duration interval) {
        try {
            Deadline.pause(interval);
        } catch (InterruptedIOException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
