package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.archive.FileSystemLimits;
import io.romadr.activities.backup.HostileArchives;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.backup.BackupManifest;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile state snapshots through the whole restore path as an SRE runs it: {@code roma-dr restore state} on the
 * CLI, the production worker wiring on a Temporal server, a local directory store and a running container on the
 * real Docker engine. A hostile newest snapshot is refused without the service being stopped (StartedAt unchanged),
 * every refusal is one activity attempt, and a restore without {@code --from} goes on to the older good snapshot.
 * The service's data lies in a deep directory, so a path that fits the usual restore directory (and passes the
 * workflow's verify step) is refused by the restore activity's own scan, still before the service stops.
 */
@org.junit.jupiter.api.Tag("integration")
class HostileRestoreEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-hostile-restore-e2e";
    static final String PLAN = "hostile";
    static EmbeddedStack stack;
    static DockerClient docker;
    static Path state;
    static Path store;
    static String container;

    @BeforeAll
    static void start(@TempDir Path root) throws IOException {
        stack = new EmbeddedStack(TASK_QUEUE);
        docker = DockerTestSupport.dockerWithSandboxImage();
        String project = "romadr-hostile-" + UUID.randomUUID().toString().substring(0, 8);
        // about 400 bytes of path: more than the 256 a verification without a target assumes
        state = Files.createDirectories(root.resolve("d".repeat(200)).resolve("e".repeat(150)).resolve("state"));
        Files.writeString(state.resolve("cursor"), "41\n");
        Path plans = Files.createDirectories(root.resolve("plans"));
        store = Files.createDirectories(root.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks:
                    - name: state-present
                      exec: { service: app, command: [cat, /data/state/cursor], timeout: 5s }
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /data/state }
                """.formatted(PLAN, project, store.toUri()));
        container = stack.sandbox(docker, project, "app", Map.of("/data/state", state),
                Map.of("io.romadr.sandbox", "true"));

        stack.startWorker(plans, docker);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static CliRun cli(String... args) {
        return stack.cli(args);
    }

    static String startedAt() {
        var s = docker.inspectContainerCmd(container).exec().getState();
        assertTrue(Boolean.TRUE.equals(s.getRunning()), "the service runs");
        return s.getStartedAt();
    }

    /** What the Docker engine did to the service's container between two instants (its own event stream). */
    static List<String> engineActions(long sinceSeconds, long untilSeconds) throws InterruptedException {
        List<String> actions = new CopyOnWriteArrayList<>();
        docker.eventsCmd().withContainerFilter(container)
                .withSince(String.valueOf(sinceSeconds)).withUntil(String.valueOf(untilSeconds))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        actions.add(event.getAction());
                    }
                }).awaitCompletion(30, TimeUnit.SECONDS);
        return actions;
    }

    /** Activity type -> attempts of each of its scheduled activities, from the workflow's history. */
    static List<String> attempts(String workflowId) {
        List<String> out = new ArrayList<>();
        Map<Long, String> scheduled = new java.util.HashMap<>();
        for (HistoryEvent e : stack.client().fetchHistory(workflowId).getEvents()) {
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
                scheduled.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
            } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
                var a = e.getActivityTaskStartedEventAttributes();
                out.add(scheduled.get(a.getScheduledEventId()) + "#" + a.getAttempt());
            }
        }
        return out;
    }

    @Test
    void hostileSnapshotsAreRefusedWithoutStoppingTheServiceAndARestoreFallsBackToAGoodOne() throws Exception {
        CliRun good = cli("backup", "state", "--plan", PLAN, "--wait");
        assertEquals(0, good.exit(), good::toString);
        long createdAt = System.currentTimeMillis() + 60_000; // newer than the good snapshot
        String since = startedAt();
        // The engine's events have whole seconds: start the window after the second the service itself started in.
        long from = Math.max(System.currentTimeMillis() / 1000 - 1,
                java.time.Instant.parse(since).getEpochSecond() + 1);

        List<HostileArchives.Case> cases = HostileArchives.all();
        for (int i = 0; i < cases.size(); i++) {
            HostileArchives.Case c = cases.get(i);
            BackupManifest m = HostileArchives.store(store, c, PLAN, createdAt + i, "h" + i, c.contentBytes());
            String id = "restore-hostile-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            CliRun run = cli("restore", "state", "--plan", PLAN, "--from", m.objectKey(), "--id", id, "--wait");
            assertNotEquals(0, run.exit(), () -> c.kind() + " was restored: " + run);
            assertTrue(run.out().contains(FailureMessages.bounded(c.names(), 300)) || run.out().contains(c.names()),
                    () -> c.kind() + ": the report names the entry: " + run);
            assertEquals(since, startedAt(), () -> c.kind() + ": the service was stopped: " + run);
            assertFalse(attempts(id).contains("RestoreArchive#1"), () -> c.kind() + " reached the restore: "
                    + attempts(id));
            assertTrue(attempts(id).stream().noneMatch(a -> !a.endsWith("#1")), () -> "one attempt each: "
                    + attempts(id));
        }

        // A path that fits below a usual restore directory, but not below this service's deep one: the workflow's
        // verify step passes it, the restore activity's scan refuses it, once, before the service is stopped.
        long restorePrefix = FileSystemLimits.bytes(state.getParent().toString()) + 35; // staging beside it
        String deep = String.join("/", Collections.nCopies(19, "z".repeat(200)));
        long rel = deep.length() + 2;
        assertTrue(256 + 1 + rel + 1 <= FileSystemLimits.PATH_MAX, "fits the verification's assumption");
        assertTrue(restorePrefix + 1 + rel + 1 > FileSystemLimits.PATH_MAX, "does not fit below the real directory");
        HostileArchives.Case tooDeep = new HostileArchives.Builder().file(deep + "/f", "x")
                .build("too deep here", "zzz");
        BackupManifest m = HostileArchives.store(store, tooDeep, PLAN, createdAt + cases.size(), "deep",
                tooDeep.contentBytes());
        String id = "restore-deep-" + UUID.randomUUID().toString().substring(0, 6);
        CliRun deepRun = cli("restore", "state", "--plan", PLAN, "--from", m.objectKey(), "--id", id, "--wait");
        assertNotEquals(0, deepRun.exit(), deepRun::toString);
        assertTrue(deepRun.out().contains("refused before the service was stopped"), deepRun::toString);
        assertTrue(deepRun.out().contains("is longer than the 4095 a file system allows"), deepRun::toString);
        assertEquals(List.of("RestoreArchive#1"), attempts(id).stream().filter(a -> a.startsWith("RestoreArchive"))
                .toList(), "the restore activity ran once: a retry cannot cure it");
        String message = stack.client().fetchHistory(id).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
                .map(e -> e.getActivityTaskFailedEventAttributes().getFailure().getMessage())
                .findFirst().orElseThrow();
        assertTrue(message.getBytes(StandardCharsets.UTF_8).length <= FailureMessages.MAX_BYTES, message);
        assertEquals(since, startedAt(), "the service was never stopped");
        assertEquals("41\n", Files.readString(state.resolve("cursor")));
        List<String> lifecycle = engineActions(from, System.currentTimeMillis() / 1000 + 1).stream()
                .filter(a -> List.of("kill", "die", "stop", "start", "restart", "pause").contains(a)).toList();
        assertEquals(List.of(), lifecycle, "the engine's event stream: the service was never stopped or started");

        // Without --from the newest snapshot that verifies is the deep one: the restore fails clearly, unstopped.
        CliRun newest = cli("restore", "state", "--plan", PLAN, "--wait");
        assertNotEquals(0, newest.exit(), newest::toString);
        assertTrue(newest.out().contains("refused before the service was stopped"), newest::toString);
        assertEquals(since, startedAt(), "the service was never stopped");
        Files.delete(store.resolve(m.manifestKey()));

        // Without it, the restore skips every newer hostile snapshot and restores the good one.
        Files.writeString(state.resolve("cursor"), "garbage\n");
        long restoreFrom = System.currentTimeMillis() / 1000 - 1;
        CliRun fallback = cli("restore", "state", "--plan", PLAN, "--wait");
        assertEquals(0, fallback.exit(), fallback::toString);
        assertTrue(fallback.out().contains("- **Restored from:** " + BackupEndToEndTest.objectKey(good)),
                fallback::toString);
        assertEquals("41\n", Files.readString(state.resolve("cursor")));
        List<String> restoring = engineActions(restoreFrom, System.currentTimeMillis() / 1000 + 1);
        assertTrue(restoring.contains("die") && restoring.contains("start"),
                () -> "the event stream sees a real restore stop and start the service: " + restoring);
    }
}
