package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.docker.ComposeContainerFinder;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.ServiceChecks;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.TestRestoreRequest;
import io.romadr.backup.TestRestoreResult;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.recovery.CheckResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test restore behind {@link DockerTestRestoreActivities}, usable without Temporal (progress goes to a
 * {@link Heartbeat}).
 *
 * <p>The snapshot reaches the sandbox as a bind mount: it is read back and verified like a restore, then extracted
 * by {@link SafeExtractor#verifyThenExtract} (which checks the SHA-256 again on the bytes it extracts) into a
 * directory under the worker's temp dir, and that directory is mounted read-write at the plan's path. This needs the
 * worker on the Docker host, as restore does; the live container's mounts are never given to the sandbox.
 *
 * <p>{@code restoreMillis} in the result is the time from the start of the read-back until every check passed (or
 * until the test restore gave up): about what restoring this snapshot and getting the service healthy takes.
 */
public final class TestRestoreOperations {
    private static final Logger log = LoggerFactory.getLogger(TestRestoreOperations.class);
    public static final String SANDBOX_LABEL = "io.romadr.sandbox";
    /** Which service a sandbox was made for ("project/service"), for whoever finds one left behind. */
    public static final String SANDBOX_OF_LABEL = "io.romadr.sandbox.of";
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final int LOG_TAIL_LINES = 20;
    private static final int LOG_TAIL_CHARS = 2048;

    /** Heartbeat details: which sandbox and what is going on. */
    public record Progress(String sandbox, String phase) {
    }

    private final DockerClient docker;
    private final Function<BackupStore, ObjectStore> stores;
    private final BackupOperations backups;
    private final ComposeContainerFinder containers;
    private final SafeExtractor extractor;
    private final HttpProbe http;
    private final Path workRoot;

    /**
     * @param workRoot where snapshots are extracted for sandboxes, one directory per sandbox name (so a retry finds
     *                 and deletes what a crashed attempt left); must be on the Docker host
     */
    public TestRestoreOperations(DockerClient docker, Function<BackupStore, ObjectStore> stores, HttpProbe http,
            Path workRoot) {
        this.docker = docker;
        this.stores = stores;
        this.backups = new BackupOperations(docker, stores);
        this.containers = new ComposeContainerFinder(docker);
        this.extractor = new SafeExtractor(SafeExtractor.DEFAULT_MAX_ENTRIES, SafeExtractor.DEFAULT_MAX_TOTAL_BYTES,
                BackupOperations.RUN_AS_ROOT);
        this.http = http;
        this.workRoot = workRoot;
    }

    /** Extractions go to {@code <java.io.tmpdir>/roma-dr-testrestore}. */
    public static Path defaultWorkRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "roma-dr-testrestore");
    }

    public TestRestoreResult testRestore(TestRestoreRequest req, Heartbeat hb) throws IOException {
        BackupManifest m = req.manifest();
        String name = req.sandboxName();
        if (name == null || !CONTAINER_NAME.matcher(name).matches()) {
            throw new BackupRefusedException("InvalidSandboxName", "sandbox name must be a container name"
                    + " ([a-zA-Z0-9][a-zA-Z0-9_.-]*), got \"" + name + "\"");
        }
        String path = BackupOperations.containerPath(req.path());
        if (!BackupOperations.isArchive(m.kind())) {
            return failed(m, name, null, 0, List.of(), "test restore needs a tar.gz snapshot, " + m.objectKey()
                    + " is a " + m.kind().id() + " backup");
        }
        long start = System.nanoTime();
        Path work = workRoot.resolve(name);
        boolean owned = false; // from when the name is ours to remove (never a container we did not make)
        Outcome outcome;
        try (ObjectStore store = stores.apply(req.store())) {
            // 1. read back and verify before anything is created
            hb.beat(new Progress(name, "verifying"));
            VerifyResult v = backups.verify(store, m, details -> hb.beat(new Progress(name, "verifying")));
            if (!v.ok()) {
                return failed(m, name, null, millisSince(start), List.of(), "snapshot " + m.objectKey()
                        + " failed verification, no sandbox made: " + v.problem());
            }
            // 2. the live container gives the image and its configuration
            InspectContainerResponse live = liveContainer(req.project(), req.service());
            if (live == null) {
                return failed(m, name, null, millisSince(start), List.of(), "no container of service "
                        + req.service() + " (compose project " + req.project() + ") to take the image from");
            }
            String image = live.getImageId();
            // 3. a clean slate: what an earlier attempt left, then the snapshot extracted for the mount
            String refusal = removeLeftover(name);
            if (refusal != null) {
                return failed(m, name, image, millisSince(start), List.of(), refusal);
            }
            owned = true;
            deleteWork(work);
            // the snapshot may hold credentials: only root (and the engine, which mounts it) sees the copy
            Files.createDirectories(workRoot);
            Files.createDirectory(work, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
            hb.beat(new Progress(name, "extracting"));
            Path data;
            try (InputStream in = store.open(m.objectKey())) {
                data = extractor.verifyThenExtract(in, m.sha256(), work).directory();
            }
            outcome = runSandbox(req, live, image, path, data, start, hb);
        } catch (IOException | RuntimeException e) {
            String cleanup = owned ? cleanUp(name, work) : null;
            if (cleanup != null) {
                e.addSuppressed(new IllegalStateException(cleanup));
            }
            throw e;
        }
        // 5. always: the sandbox and the extracted data go
        String cleanup = cleanUp(name, work);
        String problem = outcome.problem() == null ? cleanup
                : cleanup == null ? outcome.problem() : outcome.problem() + "; " + cleanup;
        return new TestRestoreResult(m.objectKey(), problem == null, name, outcome.image(), outcome.millis(),
                outcome.checks(), problem);
    }

    private record Outcome(String image, long millis, List<String> checks, String problem) {
    }

    /** Creates and starts the sandbox, then polls the checks until all pass or the wait is over. */
    private Outcome runSandbox(TestRestoreRequest req, InspectContainerResponse live, String image, String path,
            Path data, long start, Heartbeat hb) {
        String name = req.sandboxName();
        hb.beat(new Progress(name, "starting"));
        String id;
        try {
            id = create(req, live, image, path, data);
            docker.startContainerCmd(id).exec();
        } catch (DockerException e) {
            return new Outcome(image, millisSince(start), List.of(), "sandbox " + name + " from image "
                    + image + " could not be started: " + LogRedactor.redact(String.valueOf(e.getMessage())));
        }
        SandboxPorts ports = new SandboxPorts(liveHostPorts(live), sandboxHostPorts(id));
        List<HealthCheck> checks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (HealthCheck check : req.checks()) {
            String other = otherService(check, req.service(), ports);
            if (other == null) {
                checks.add(check);
            } else {
                skipped.add(check.name() + ": SKIPPED " + other);
            }
        }
        long deadline = System.nanoTime() + req.waitHealthy().toNanos();
        int round = 0;
        while (true) {
            round++;
            hb.beat(new Progress(name, "checking, round " + round));
            InspectContainerResponse sandbox = docker.inspectContainerCmd(id).exec();
            if (!Boolean.TRUE.equals(sandbox.getState().getRunning())) {
                return new Outcome(image, millisSince(start), List.of(), "sandbox " + name + " exited with code "
                        + sandbox.getState().getExitCodeLong() + " before it was healthy; log tail: "
                        + logTail(id));
            }
            List<CheckResult> results = new ArrayList<>();
            for (HealthCheck check : checks) {
                results.add(run(check, id, name, ports));
                hb.beat(new Progress(name, "checking, round " + round));
            }
            List<String> lines = new ArrayList<>(results.stream()
                    .map(r -> r.name() + ": " + (r.ok() ? "OK" : "FAILED") + " " + r.detail()).toList());
            lines.addAll(skipped);
            List<String> failing = results.stream().filter(r -> !r.ok())
                    .map(r -> r.name() + ": " + r.detail()).toList();
            if (failing.isEmpty()) {
                return new Outcome(image, millisSince(start), lines, null);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return new Outcome(image, millisSince(start), lines, "sandbox " + name + " unhealthy after "
                        + seconds(req.waitHealthy()) + " (" + round + " rounds): " + String.join("; ", failing));
            }
            pollPause(Math.min(left, req.pollInterval().toNanos()), name, hb);
        }
    }

    /**
     * Why {@code check} is not one of the restored service's own checks (the sandbox runs only that service): an exec
     * check in another service, or an HTTP check whose port the live container of the service does not publish;
     * null when it is one.
     */
    private static String otherService(HealthCheck check, String service, SandboxPorts ports) {
        if (check.exec() != null) {
            return check.exec().service().equals(service) ? null
                    : "(runs in service " + check.exec().service() + ", the sandbox runs only " + service + ")";
        }
        return ports.servesLive(check.http().url()) ? null
                : "(" + LogRedactor.redact(check.http().url()) + " is not a port of service " + service + ")";
    }

    private CheckResult run(HealthCheck check, String id, String name, SandboxPorts ports) {
        if (check.exec() != null) {
            return ServiceChecks.execCheckIn(docker, id, name, check.name(), check.exec());
        }
        HttpCheck h = check.http();
        String url = ports.rewrite(h.url()).orElse(null);
        if (url == null) {
            return new CheckResult(check.name(), false, "the sandbox publishes no port for "
                    + LogRedactor.redact(h.url()) + " (" + ports.describe() + ")");
        }
        CheckResult r = http.probe(check.name(), new HttpCheck(url, h.expectStatus(), h.timeout()));
        return new CheckResult(r.name(), r.ok(), LogRedactor.redact(r.detail() + " at " + url));
    }

    private String create(TestRestoreRequest req, InspectContainerResponse live, String image, String path,
            Path data) {
        var config = live.getConfig();
        Set<ExposedPort> exposed = new LinkedHashSet<>();
        if (config.getExposedPorts() != null) {
            exposed.addAll(Arrays.asList(config.getExposedPorts()));
        }
        HostConfig liveHost = live.getHostConfig();
        if (liveHost != null && liveHost.getPortBindings() != null) {
            exposed.addAll(liveHost.getPortBindings().getBindings().keySet());
        }
        Ports bindings = new Ports();
        for (ExposedPort p : exposed) {
            bindings.bind(p, Ports.Binding.bindIp(SandboxPorts.SANDBOX_HOST)); // ephemeral host port
        }
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode("bridge")
                .withRestartPolicy(RestartPolicy.noRestart())
                .withPortBindings(bindings)
                .withBinds(new Bind(data.toString(), new Volume(path), AccessMode.rw));
        if (liveHost != null && liveHost.getInit() != null) {
            host.withInit(liveHost.getInit());
        }
        CreateContainerCmd cmd = docker.createContainerCmd(image)
                .withName(req.sandboxName())
                .withLabels(Map.of(SANDBOX_LABEL, "true", SANDBOX_OF_LABEL, req.project() + "/" + req.service()))
                .withExposedPorts(List.copyOf(exposed))
                .withHostConfig(host);
        if (config.getEnv() != null) {
            cmd.withEnv(config.getEnv());
        }
        if (config.getEntrypoint() != null) {
            cmd.withEntrypoint(config.getEntrypoint());
        }
        if (config.getCmd() != null) {
            cmd.withCmd(config.getCmd());
        }
        if (config.getWorkingDir() != null && !config.getWorkingDir().isBlank()) {
            cmd.withWorkingDir(config.getWorkingDir());
        }
        if (config.getUser() != null && !config.getUser().isBlank()) {
            cmd.withUser(config.getUser()); // a service refusing to run as root must not fail only in the sandbox
        }
        return cmd.exec().getId();
    }

    /** The service's container, a running one first; null if there is none. */
    private InspectContainerResponse liveContainer(String project, String service) {
        List<Container> found = containers.current(project, service);
        Container pick = found.stream().filter(c -> "running".equals(c.getState())).findFirst()
                .orElse(found.isEmpty() ? null : found.get(0));
        if (pick == null) {
            return null;
        }
        try {
            return docker.inspectContainerCmd(pick.getId()).exec();
        } catch (NotFoundException e) {
            return null; // removed in between
        }
    }

    /**
     * Removes a container of the sandbox's name left by an earlier attempt. Returns why it refuses when that
     * container is not a sandbox (a name clash must never cost a real container).
     */
    private String removeLeftover(String name) {
        InspectContainerResponse old;
        try {
            old = docker.inspectContainerCmd(name).exec();
        } catch (NotFoundException e) {
            return null;
        }
        Map<String, String> labels = old.getConfig().getLabels() == null ? Map.of() : old.getConfig().getLabels();
        if (!"true".equals(labels.get(SANDBOX_LABEL)) || labels.containsKey(DockerServiceActivities.LABEL_PROJECT)) {
            return "a container named " + name + " exists and is not a test-restore sandbox (no " + SANDBOX_LABEL
                    + "=true label, or it belongs to a compose project); it was left alone and no sandbox was made";
        }
        log.info("removing sandbox {} left by an earlier attempt", name);
        remove(name);
        return null;
    }

    /** Removes the sandbox and its extracted data; null when both are gone, else what is left and why. */
    private String cleanUp(String name, Path work) {
        List<String> problems = new ArrayList<>();
        try {
            remove(name);
        } catch (RuntimeException e) {
            problems.add("sandbox container " + name + " was not removed: " + e.getMessage());
        }
        try {
            deleteWork(work);
        } catch (IOException | RuntimeException e) {
            problems.add("extracted snapshot " + work + " was not deleted: " + e.getMessage());
        }
        if (problems.isEmpty()) {
            return null;
        }
        String problem = String.join("; ", problems);
        log.warn("test restore cleanup: {}", problem);
        return problem;
    }

    private void remove(String name) {
        try {
            docker.removeContainerCmd(name).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("already in progress")) {
                throw e;
            }
        }
    }

    private static void deleteWork(Path work) throws IOException {
        if (Files.exists(work, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            AtomicSwap.deleteTree(work);
        }
    }

    /** Published host port -> container port of the live container (what its check URLs name). */
    private static Map<Integer, Integer> liveHostPorts(InspectContainerResponse live) {
        Map<Integer, Integer> out = new HashMap<>();
        if (live.getHostConfig() != null && live.getHostConfig().getPortBindings() != null) {
            addHostPorts(live.getHostConfig().getPortBindings(), out);
        }
        if (live.getNetworkSettings() != null && live.getNetworkSettings().getPorts() != null) {
            addHostPorts(live.getNetworkSettings().getPorts(), out); // the actual ones win over configured ones
        }
        return out;
    }

    private static void addHostPorts(Ports ports, Map<Integer, Integer> out) {
        ports.getBindings().forEach((exposed, binds) -> {
            for (Ports.Binding b : binds == null ? new Ports.Binding[0] : binds) {
                Integer hostPort = parsePort(b.getHostPortSpec());
                if (hostPort != null) {
                    out.put(hostPort, exposed.getPort());
                }
            }
        });
    }

    /** Container port -> the host port the running sandbox publishes it on (on 127.0.0.1). */
    private Map<Integer, Integer> sandboxHostPorts(String id) {
        Map<Integer, Integer> out = new HashMap<>();
        var settings = docker.inspectContainerCmd(id).exec().getNetworkSettings();
        if (settings == null || settings.getPorts() == null) {
            return out;
        }
        settings.getPorts().getBindings().forEach((exposed, binds) -> {
            for (Ports.Binding b : binds == null ? new Ports.Binding[0] : binds) {
                Integer hostPort = parsePort(b.getHostPortSpec());
                if (hostPort != null && SandboxPorts.SANDBOX_HOST.equals(b.getHostIp())) {
                    out.putIfAbsent(exposed.getPort(), hostPort);
                }
            }
        });
        return out;
    }

    private static Integer parsePort(String spec) {
        if (spec == null || !spec.matches("\\d{1,5}")) {
            return null;
        }
        return Integer.valueOf(spec);
    }

    private String logTail(String id) {
        StringBuilder sb = new StringBuilder();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(LOG_TAIL_LINES)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            synchronized (sb) {
                                sb.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                            }
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return "(logs unavailable: " + e.getClass().getSimpleName() + ")";
        }
        synchronized (sb) {
            String text = sb.toString().strip();
            return text.isEmpty() ? "(empty)" : LogRedactor.redactTail(text, LOG_TAIL_CHARS);
        }
    }

    /** Waits out one poll interval, heartbeating about every second. */
    private static void pollPause(long nanos, String name, Heartbeat hb) {
        long until = System.nanoTime() + nanos;
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for sandbox " + name, e);
            }
            hb.beat(new Progress(name, "waiting for health"));
        }
    }

    private static TestRestoreResult failed(BackupManifest m, String name, String image, long millis,
            List<String> checks, String problem) {
        return new TestRestoreResult(m.objectKey(), false, name, image, millis, checks, problem);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
