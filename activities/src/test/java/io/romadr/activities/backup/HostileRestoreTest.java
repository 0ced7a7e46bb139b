package io.romadr.activities.backup;

import static io.romadr.activities.backup.BackupTestSupport.SERVICE;
import static io.romadr.activities.backup.BackupTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.RestoreRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile state snapshots through the real restore path: a real tar.gz and its manifest in a local directory store,
 * restored into the bind mount of a running container on the real Docker engine. Every one is refused by the scan
 * that runs before the container is stopped: the container keeps running with the same StartedAt, its data is
 * untouched, nothing is left beside it, and the failure is non-retryable (one attempt), bounded, and names the entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.Tag("integration")
class HostileRestoreTest {
    private static final String PLAN = "hostile";
    private static final long CREATED_AT = 1_795_000_000_000L;

    private final DockerClient docker = BackupTestSupport.docker();
    private final String project = BackupTestSupport.project();
    private final AtomicInteger restoreCalls = new AtomicInteger();
    private final AtomicInteger seq = new AtomicInteger();
    private Path state;
    private Path storeDir;
    private BackupStore store;
    private TestActivityEnvironment env;
    private BackupActivities activities;
    private String containerId;
    private String startedAt;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        state = Files.createDirectories(tmp.resolve("state"));
        BackupTestSupport.generateState(state);
        storeDir = Files.createDirectories(tmp.resolve("store"));
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerBackupActivities(docker, s -> {
            try {
                return new LocalObjectStore(Path.of(URI.create(s.uri())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }) {
            @Override
            public io.romadr.backup.RestoreResult restoreArchive(RestoreRequest request) {
                restoreCalls.incrementAndGet();
                return super.restoreArchive(request);
            }
        });
        activities = env.newActivityStub(BackupActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(10)
                        .setInitialInterval(Duration.ofMillis(100)).build())
                .build());
        containerId = BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        startedAt = docker.inspectContainerCmd(containerId).exec().getState().getStartedAt();
    }

    @AfterAll
    void stop() {
        BackupTestSupport.removeProject(docker, project);
        env.close();
    }

    static Stream<HostileArchives.Case> cases() throws IOException {
        return HostileArchives.all().stream();
    }

    private BackupManifest stored(HostileArchives.Case c, long contentBytes) throws IOException {
        int n = seq.incrementAndGet();
        return HostileArchives.store(storeDir, c, PLAN, CREATED_AT + n, "h" + n, contentBytes);
    }

    /** Restores {@code m}, expects a non-retryable refusal, and checks the container and its data were not touched. */
    private ApplicationFailure refused(BackupManifest m, Path dir, String container, String since)
            throws IOException {
        TreeMap<String, String> before = tree(dir);
        int calls = restoreCalls.get();
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> activities.restoreArchive(
                new RestoreRequest(store, m, project, SERVICE, "/data", List.of())));
        ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, f.getCause(), f::toString);
        assertTrue(cause.isNonRetryable(), () -> "a retry cannot cure it: " + cause);
        assertEquals(calls + 1, restoreCalls.get(), "one attempt");
        int bytes = cause.getOriginalMessage().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes <= FailureMessages.MAX_BYTES, () -> "message of " + bytes + " bytes: " + cause);
        var s = docker.inspectContainerCmd(container).exec().getState();
        assertTrue(Boolean.TRUE.equals(s.getRunning()), "the service was never stopped");
        assertEquals(since, s.getStartedAt(), "the service was never restarted");
        assertEquals(before, tree(dir), "the data is untouched");
        try (Stream<Path> beside = Files.list(dir.getParent())) {
            assertEquals(List.of(), beside.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".roma-")).toList(), "no staging or download left beside the data");
        }
        return cause;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyHostileSnapshotIsRefusedBeforeTheServiceStops(HostileArchives.Case c) throws IOException {
        BackupManifest m = stored(c, c.contentBytes());

        VerifyResult v = activities.verifyBackup(new BackupRef(store, m));
        assertFalse(v.ok(), () -> c.kind() + " passed verification");
        assertEquals(m.sha256(), v.actualSha256(), "the checksum holds: the entries are the problem");

        ApplicationFailure cause = refused(m, state, containerId, startedAt);
        assertEquals("BackupVerificationFailed", cause.getType());
        String quoted = FailureMessages.bounded(c.names(), 300);
        assertTrue(cause.getOriginalMessage().contains(quoted),
                () -> "names the entry (" + quoted + "): " + cause.getOriginalMessage());
    }

    /** What Linux holds is not refused: names differing only in case, a repeated entry (the later one wins). */
    @Test
    void namesThatDifferOnlyInCaseAndRepeatedEntriesAreRestored() throws Exception {
        HostileArchives.Case c = new HostileArchives.Builder().file("Readme", "a").file("README", "b")
                .file("readme", "c").file("dup", "first").file("dup", "second").file("a".repeat(255), "max")
                .build("legal names", "");
        BackupManifest m = stored(c, c.contentBytes());
        try {
            activities.restoreArchive(new RestoreRequest(store, m, project, SERVICE, "/data", List.of()));

            assertEquals("a", Files.readString(state.resolve("Readme")));
            assertEquals("b", Files.readString(state.resolve("README")));
            assertEquals("c", Files.readString(state.resolve("readme")));
            assertEquals("second", Files.readString(state.resolve("dup")));
            assertEquals("max", Files.readString(state.resolve("a".repeat(255))));
            BackupTestSupport.awaitRunning(docker, containerId, Duration.ofSeconds(10));
        } finally {
            startedAt = docker.inspectContainerCmd(containerId).exec().getState().getStartedAt();
        }
    }

    @Test
    void contentThatDiffersFromTheManifestIsRefused() throws IOException {
        HostileArchives.Case c = new HostileArchives.Builder().file("data.bin", "0123456789")
                .build("honest archive", "data.bin");
        BackupManifest m = stored(c, c.contentBytes() + 1);

        ApplicationFailure cause = refused(m, state, containerId, startedAt);

        assertEquals("BackupVerificationFailed", cause.getType());
        assertTrue(cause.getOriginalMessage().contains("content size mismatch: manifest " + (c.contentBytes() + 1)),
                cause::getOriginalMessage);
    }

    /**
     * An earlier attempt stopped the service and died; the retry finds the snapshot unrestorable: it refuses and
     * starts the service the earlier attempt stopped, rather than leaving it down.
     */
    @Test
    void aRetryThatRefusesStartsTheServiceAnEarlierAttemptStopped() throws IOException, InterruptedException {
        HostileArchives.Case c = new HostileArchives.Builder().file("x/" + "n".repeat(300), "x")
                .build("long name", "nnnn");
        BackupManifest m = stored(c, c.contentBytes());
        docker.stopContainerCmd(containerId).withTimeout(5).exec();
        TestActivityEnvironment retry = TestActivityEnvironment.newInstance();
        try {
            retry.registerActivitiesImplementations(new DockerBackupActivities(docker, s -> {
                try {
                    return new LocalObjectStore(Path.of(URI.create(s.uri())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            retry.setHeartbeatDetails(new BackupOperations.RestoreProgress(containerId, true, "restoring"));
            BackupActivities stub = retry.newActivityStub(BackupActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(2))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                    .build());

            ActivityFailure f = assertThrows(ActivityFailure.class, () -> stub.restoreArchive(
                    new RestoreRequest(store, m, project, SERVICE, "/data", List.of())));

            assertTrue(((ApplicationFailure) f.getCause()).isNonRetryable(), f::toString);
            BackupTestSupport.awaitRunning(docker, containerId, Duration.ofSeconds(10));
        } finally {
            retry.close();
            if (!BackupTestSupport.running(docker, containerId)) {
                docker.startContainerCmd(containerId).exec();
            }
            startedAt = docker.inspectContainerCmd(containerId).exec().getState().getStartedAt();
        }
    }

    /**
     * A snapshot larger than the free space of the data's file system (a 2 MiB tmpfs volume, kept mounted by a
     * helper container, with the service's data directory inside it) is refused before the service stops.
     */
    @Test
    void aSnapshotLargerThanTheFreeSpaceIsRefusedBeforeTheServiceStops() throws IOException {
        String volume = "romadr-tmpfs-" + UUID.randomUUID().toString().substring(0, 8);
        String small = "romadr-small-" + UUID.randomUUID().toString().substring(0, 8);
        docker.createVolumeCmd().withName(volume).withDriver("local")
                .withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=2m")).exec();
        String keeper = null;
        try {
            keeper = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                    .withName(volume + "-keeper")
                    .withLabels(Map.of("io.romadr.sandbox", "true"))
                    .withCmd("sleep", "100000")
                    .withHostConfig(HostConfig.newHostConfig().withInit(true)
                            .withBinds(new Bind(volume, new Volume("/keep"))))
                    .exec().getId();
            docker.startContainerCmd(keeper).exec();
            Path mounted = Path.of(docker.inspectVolumeCmd(volume).exec().getMountpoint());
            Path data = Files.createDirectories(mounted.resolve("state"));
            Files.writeString(data.resolve("current.txt"), "live data\n");
            String service = BackupTestSupport.startContainer(docker, small, data.toString(), "/data");
            String since = docker.inspectContainerCmd(service).exec().getState().getStartedAt();
            HostileArchives.Case c = new HostileArchives.Builder().file("big.bin", new byte[3 << 20])
                    .build("3 MiB of content", "big.bin");
            BackupManifest m = stored(c, c.contentBytes());
            assertTrue(activities.verifyBackup(new BackupRef(store, m)).ok(), "the backup itself is sound");

            ActivityFailure f = assertThrows(ActivityFailure.class, () -> activities.restoreArchive(
                    new RestoreRequest(store, m, small, SERVICE, "/data", List.of())));
            ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, f.getCause(), f::toString);
            assertTrue(cause.isNonRetryable(), cause::toString);
            assertEquals("InsufficientSpace", cause.getType());
            assertTrue(cause.getOriginalMessage().contains("refused before the service was stopped"),
                    cause::getOriginalMessage);
            var s = docker.inspectContainerCmd(service).exec().getState();
            assertTrue(Boolean.TRUE.equals(s.getRunning()));
            assertEquals(since, s.getStartedAt(), "the service was never restarted");
            assertEquals("live data\n", Files.readString(data.resolve("current.txt")));
            try (Stream<Path> beside = Files.list(mounted)) {
                assertEquals(List.of("state"), beside.map(p -> p.getFileName().toString()).toList());
            }
        } finally {
            BackupTestSupport.removeProject(docker, small);
            if (keeper != null) {
                docker.removeContainerCmd(keeper).withForce(true).exec();
            }
            docker.removeVolumeCmd(volume).exec();
        }
    }
}
