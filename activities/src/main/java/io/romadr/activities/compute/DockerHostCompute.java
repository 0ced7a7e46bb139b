package io.romadr.activities.compute;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replacement server as a fresh container on the local Docker engine ({@code site.provider: docker}): for drills,
 * tests and single-host installations. The container runs a keep-alive shell (so its image needs {@code sh}), with
 * Docker's init, and a host directory {@code <sitesRoot>/<container name>} bind-mounted at {@link #SERVER_ROOT}, so
 * service containers started for the site can bind-mount what was copied there ({@link #hostPath}).
 *
 * <p>Provisioning is idempotent per {@link LaunchKey}: the container is named after the key's client token and
 * labelled with the key ({@link #SITE_KEY_LABEL}); a second call finds it, and a concurrent create loses on the name.
 * Images are never pulled. Command environment values and file contents never appear in errors.
 * Commands run through {@link DockerServerCommands}, files through {@link DockerServerFiles}.
 */
public final class DockerHostCompute implements ComputeProvider {
    public static final String SERVER_ROOT = "/srv";
    public static final String SITE_KEY_LABEL = "roma-dr.site.key";
    public static final String PLAN_LABEL = "roma-dr.plan";
    public static final String WORKFLOW_LABEL = "roma-dr.workflow";
    static final String NAME_PREFIX = "roma-dr-site-";
    /** Keeps the container alive and lets it stop at once on TERM (busybox sh has no {@code sleep infinity}). */
    static final List<String> KEEP_ALIVE = List.of("sh", "-c",
            "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done");
    private static final Duration POLL = Duration.ofMillis(250);

    private final DockerClient docker;
    private final Path sitesRoot;
    private final DockerServerCommands commands;
    private final DockerServerFiles files;

    public DockerHostCompute(DockerClient docker, Path sitesRoot) {
        this.docker = docker;
        this.sitesRoot = sitesRoot.toAbsolutePath().normalize();
        this.commands = new DockerServerCommands(docker);
        this.files = new DockerServerFiles(docker, commands);
    }

    @Override
    public String name() {
        return "docker";
    }

    static String containerName(LaunchKey key) {
        return NAME_PREFIX + key.clientToken().substring(0, 12);
    }

    @Override
    public Server provision(ServerSpec spec, LaunchKey key) throws IOException {
        Server existing = startIfStopped(findContainer(key));
        if (existing != null) {
            return existing;
        }
        try {
            docker.inspectImageCmd(spec.image()).exec();
        } catch (NotFoundException e) {
            throw new IOException("image \"" + spec.image() + "\" is not on the Docker engine; it is never pulled:"
                    + " load, import or build it on the engine first (for key \"" + key.value() + "\")");
        } catch (DockerException e) {
            throw failure("inspecting image \"" + spec.image() + "\"", e);
        }
        String name = containerName(key);
        Path hostDir = sitesRoot.resolve(name);
        Files.createDirectories(hostDir);
        Map<String, String> labels = new LinkedHashMap<>(spec.tags());
        labels.put(SITE_KEY_LABEL, key.value());
        labels.put(PLAN_LABEL, key.plan());
        labels.put(WORKFLOW_LABEL, key.workflowId());
        String id;
        try {
            id = docker.createContainerCmd(spec.image())
                    .withName(name)
                    .withLabels(labels)
                    .withCmd(KEEP_ALIVE)
                    .withHostConfig(HostConfig.newHostConfig()
                            .withInit(true)
                            .withBinds(new Bind(hostDir.toString(), new Volume(SERVER_ROOT))))
                    .exec()
                    .getId();
        } catch (ConflictException e) {
            // A concurrent or retried create got there first: that container is the server. The engine reserves
            // the name before the container can be inspected, so look for it for a few seconds.
            Server raced = startIfStopped(awaitNamed(name));
            if (raced == null) {
                throw new IOException("creating container " + name + " for key \"" + key.value()
                        + "\" conflicted, but no container of that name exists now", e);
            }
            return raced;
        } catch (DockerException e) {
            throw failure("creating container " + name + " for key \"" + key.value() + "\"", e);
        }
        return startIfStopped(describe(id));
    }

    private Server startIfStopped(Server server) throws IOException {
        if (server == null || server.isRunning()) {
            return server;
        }
        try {
            docker.startContainerCmd(server.id()).exec();
        } catch (NotModifiedException e) {
            // already running
        } catch (DockerException e) {
            throw failure("starting server " + server.id(), e);
        }
        return describe(server.id());
    }

    @Override
    public Server findByKey(LaunchKey key) throws IOException {
        return findContainer(key);
    }

    /** The server container for {@code key}: labelled with it and named after it (service containers share the label). */
    private Server findContainer(LaunchKey key) throws IOException {
        String name = containerName(key);
        List<Container> found;
        try {
            found = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(SITE_KEY_LABEL, key.value()))
                    .exec();
        } catch (DockerException e) {
            throw failure("listing containers for key \"" + key.value() + "\"", e);
        }
        for (Container c : found) {
            if (c.getNames() != null && List.of(c.getNames()).contains("/" + name)
                    && !"removing".equals(c.getState()) && !"dead".equals(c.getState())) {
                return describe(c.getId());
            }
        }
        return null;
    }

    @Override
    public Server describe(String serverId) throws IOException {
        InspectContainerResponse c = inspect(serverId);
        return c == null ? null : toServer(c);
    }

    /** The container named {@code name}, polled for up to 10 s (a concurrent create may still be in progress). */
    private Server awaitNamed(String name) throws IOException {
        Deadline deadline = Deadline.after(Duration.ofSeconds(10));
        while (true) {
            Server s = describe(name);
            if (s != null || deadline.passed()) {
                return s;
            }
            Deadline.pause(Duration.ofMillis(50));
        }
    }

    private InspectContainerResponse inspect(String serverId) throws IOException {
        try {
            return docker.inspectContainerCmd(serverId).exec();
        } catch (NotFoundException e) {
            return null;
        } catch (DockerException e) {
            throw failure("inspecting server " + serverId, e);
        }
    }

    private static Server toServer(InspectContainerResponse c) {
        String state = c.getState() == null ? null : c.getState().getStatus();
        String address = null;
        if (c.getNetworkSettings() != null && c.getNetworkSettings().getNetworks() != null) {
            for (ContainerNetwork network : c.getNetworkSettings().getNetworks().values()) {
                if (network.getIpAddress() != null && !network.getIpAddress().isBlank()) {
                    address = network.getIpAddress();
                }
                break;
            }
        }
        Map<String, String> labels = c.getConfig() == null ? null : c.getConfig().getLabels();
        return new Server(c.getId(), "docker", state, address, labels);
    }

    /**
     * Polls until the container runs and an exec of {@code sh -c true} exits 0 ({@code sh} rather than a bare
     * {@code true}: a busybox image may have no {@code true} binary, and the keep-alive command needs {@code sh}
     * anyway). Fails at once when the container is gone or has exited.
     */
    @Override
    public Server awaitReady(String serverId, Duration timeout, Runnable heartbeat) throws IOException {
        Runnable beat = heartbeat == null ? () -> {
        } : heartbeat;
        Deadline deadline = Deadline.after(timeout);
        String last = "unknown";
        while (true) {
            beat.run();
            Server now = describe(serverId);
            if (now == null) {
                throw new IOException("server " + serverId + " is gone while waiting for it to be ready");
            }
            last = now.state();
            if ("exited".equals(last) || "dead".equals(last) || "removing".equals(last)) {
                throw new IOException("server " + serverId + " is " + last + " while waiting for it to be ready");
            }
            if (now.isRunning()) {
                try {
                    CommandResult probe = commands.exec(serverId, List.of("sh", "-c", "true"), null, Map.of(),
                            Duration.ofSeconds(10), beat);
                    if (probe.ok()) {
                        return now;
                    }
                    last = "running, but a test command exits " + probe.exitCode();
                } catch (IOException e) {
                    last = "running, but a test command fails: " + e.getMessage();
                }
            }
            if (deadline.passed()) {
                throw new IOException("server " + serverId + " is not ready after " + timeout.toSeconds()
                        + " s (" + last + ")");
            }
            Deadline.pause(POLL);
        }
    }

    /**
     * Runs the command with docker exec and waits up to its timeout, heartbeating at least every 5 s. The
     * idempotency key is not used: an exec cannot be found again after a worker crash, so commands must be
     * idempotent. A timed-out command may still be running in the container.
     */
    @Override
    public CommandResult run(String serverId, ServerCommand command, Runnable heartbeat) throws IOException {
        return commands.exec(serverId, command.command(), command.workdir(), command.env(), command.timeout(),
                heartbeat == null ? () -> {
                } : heartbeat);
    }

    /** See {@link DockerServerFiles#copyIn}: the tar is validated before the engine extracts it. */
    @Override
    public void copyIn(String serverId, String directory, InputStream tar) throws IOException {
        files.copyIn(serverId, directory, tar);
    }

    @Override
    public void writeFile(String serverId, String path, byte[] content, int mode) throws IOException {
        files.writeFile(serverId, path, content, mode);
    }

    @Override
    public byte[] readFile(String serverId, String path, int maxBytes) throws IOException {
        return files.readFile(serverId, path, maxBytes);
    }

    /**
     * Removes the server container and every container labelled with its site key (service containers started for
     * it), with their anonymous volumes, then the host directory. Service containers go first, so a crash in between
     * leaves the server, and a retry finds the key again.
     */
    @Override
    public boolean terminate(String serverId) throws IOException {
        InspectContainerResponse c = inspect(serverId);
        if (c == null) {
            return false;
        }
        boolean removed = false;
        String key = c.getConfig() == null || c.getConfig().getLabels() == null
                ? null
                : c.getConfig().getLabels().get(SITE_KEY_LABEL);
        if (key != null) {
            List<Container> labelled;
            try {
                labelled = docker.listContainersCmd().withShowAll(true)
                        .withLabelFilter(Map.of(SITE_KEY_LABEL, key)).exec();
            } catch (DockerException e) {
                throw failure("listing the containers of server " + serverId, e);
            }
            for (Container other : labelled) {
                if (!other.getId().equals(c.getId())) {
                    removed |= remove(other.getId());
                }
            }
        }
        removed |= remove(c.getId());
        String name = c.getName() == null ? null : c.getName().replaceFirst("^/", "");
        if (name != null && name.startsWith(NAME_PREFIX)) {
            removed |= deleteTree(sitesRoot.resolve(name));
        }
        return removed;
    }

    private boolean remove(String containerId) throws IOException {
        try {
            docker.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (ConflictException e) {
            // "removal already in progress": another call is removing it
            return false;
        } catch (DockerException e) {
            throw failure("removing container " + containerId, e);
        }
    }

    /** Deletes a directory tree without following links; false when it was not there. */
    private static boolean deleteTree(Path dir) throws IOException {
        boolean existed = Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        AtomicSwap.deleteTree(dir);
        return existed;
    }

    /**
     * The host directory behind {@code serverPath} (under {@link #SERVER_ROOT} on the server), for bind-mounting it
     * into service containers. A path outside {@code /srv}, relative or with {@code ..} is an
     * {@link IllegalArgumentException}; an unknown server an {@link IllegalStateException}.
     */
    public Path hostPath(String serverId, String serverPath) {
        String rel = relativeToServerRoot(serverPath);
        InspectContainerResponse c;
        try {
            c = docker.inspectContainerCmd(serverId).exec();
        } catch (NotFoundException e) {
            throw new IllegalStateException("no server " + serverId + " on the Docker engine");
        }
        String name = c.getName() == null ? "" : c.getName().replaceFirst("^/", "");
        if (!name.startsWith(NAME_PREFIX)) {
            throw new IllegalStateException("container " + serverId + " is not a roma-dr site server");
        }
        Path base = sitesRoot.resolve(name);
        return rel.isEmpty() ? base : base.resolve(rel);
    }

    static String relativeToServerRoot(String serverPath) {
        if (serverPath == null || !serverPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute server path: " + serverPath);
        }
        List<String> parts = new ArrayList<>();
        for (String part : serverPath.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") || part.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("server path " + serverPath + " contains '..' or NUL");
            }
            parts.add(part);
        }
        if (parts.isEmpty() || !("/" + parts.get(0)).equals(SERVER_ROOT)) {
            throw new IllegalArgumentException("server path " + serverPath + " is not under " + SERVER_ROOT);
        }
        return String.join("/", parts.subList(1, parts.size()));
    }

    static IOException failure(String op, DockerException e) {
        return failure(op, e, List.of());
    }

    /** An error naming the operation and the engine's answer, with any of {@code secrets} blanked out. */
    static IOException failure(String op, DockerException e, Collection<String> secrets) {
        String detail = e.getClass().getSimpleName() + " (HTTP " + e.getHttpStatus() + "): "
                + (e.getMessage() == null ? "" : e.getMessage().strip());
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                detail = detail.replace(s, "***");
            }
        }
        return new IOException(op + " failed: " + detail);
    }

    @Override
    public void close() {
        // The Docker client belongs to the caller.
    }
}
