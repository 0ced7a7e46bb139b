package io.romadr.activities.backup;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import io.romadr.activities.archive.AtomicSwap;
import io.romadr.activities.archive.SafeExtractor;
import io.romadr.activities.docker.ServiceChecks;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.poll.Deadline;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.activities.verify.LogRedactor;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.TestRestoreRequest;
import io.romadr.backup.TestRestoreResult;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.scenario.servicefailure.CheckResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Heartbeat details: which sandbox and what is going on. */
    public record Progress(String sandbox, String phase) {
    }

    private final DockerClient docker;
    private final Function<BackupStore, ObjectStore> stores;
    private final BackupOperations backups;
    private final SandboxContainers sandboxes;
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
        this.sandboxes = new SandboxContainers(docker);
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
            InspectContainerResponse live = sandboxes.liveContainer(req.project(), req.service());
            if (live == null) {
                return failed(m, name, null, millisSince(start), List.of(), "no container of service "
                        + req.service() + " (compose project " + req.project() + ") to take the image from");
            }
            String image = live.getImageId();
            // 3. a clean slate: what an earlier attempt left, then the snapshot extracted for the mount
            String refusal = sandboxes.removeLeftover(name);
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
        String problem = outcome.problem() == null
                ? cleanup
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
            id = sandboxes.create(req, live, image, path, data);
            docker.startContainerCmd(id).exec();
        } catch (DockerException e) {
            return new Outcome(image, millisSince(start), List.of(), "sandbox " + name + " from image "
                    + image + " could not be started: " + LogRedactor.redact(String.valueOf(e.getMessage())));
        }
        SandboxPorts ports = sandboxes.ports(live, id);
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
        Deadline deadline = Deadline.after(req.waitHealthy());
        int round = 0;
        while (true) {
            round++;
            hb.beat(new Progress(name, "checking, round " + round));
            InspectContainerResponse sandbox = docker.inspectContainerCmd(id).exec();
            if (!Boolean.TRUE.equals(sandbox.getState().getRunning())) {
                return new Outcome(image, millisSince(start), List.of(), "sandbox " + name + " exited with code "
                        + sandbox.getState().getExitCodeLong() + " before it was healthy; log tail: "
                        + sandboxes.logTail(id));
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
            if (deadline.passed()) {
                return new Outcome(image, millisSince(start), lines, "sandbox " + name + " unhealthy after "
                        + seconds(req.waitHealthy()) + " (" + round + " rounds): " + String.join("; ", failing));
            }
            pollPause(deadline.next(req.pollInterval()), name, hb);
        }
    }

    /**
     * Why {@code check} is not one of the restored service's own checks (the sandbox runs only that service): an exec
     * check in another service, or an HTTP check whose port the live container of the service does not publish;
     * null when it is one.
     */
    private static String otherService(HealthCheck check, String service, SandboxPorts ports) {
        if (check.exec() != null) {
            return check.exec().service().equals(service)
                    ? null
                    : "(runs in service " + check.exec().service() + ", the sandbox runs only " + service + ")";
        }
        return ports.servesLive(check.http().url())
                ? null
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

    /** Removes the sandbox and its extracted data; null when both are gone, else what is left and why. */
    private String cleanUp(String name, Path work) {
        List<String> problems = new ArrayList<>();
        try {
            sandboxes.remove(name);
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

    private static void deleteWork(Path work) throws IOException {
        if (Files.exists(work, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            AtomicSwap.deleteTree(work);
        }
    }

    /** Waits out one poll interval, heartbeating about every second. */
    private static void pollPause(Duration pause, String name, Heartbeat hb) {
        Deadline until = Deadline.after(pause);
        while (!until.passed()) {
            try {
                Deadline.pause(until.next(Duration.ofSeconds(1)));
            } catch (InterruptedIOException e) {
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
