package io.romadr.worker.schedules;

import io.romadr.activities.notify.NotificationSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.romadr.activities.docker.DockerClients;
import io.romadr.worker.CliRun;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.crash.TemporalDevServer;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roma-dr schedules apply|list} against the real Temporal dev server (the SDK's test server has no
 * schedules): created once, unchanged on a second run, updated or deleted when the plan changes, overlap SKIP, and
 * a triggered run shows its outcome.
 */
@org.junit.jupiter.api.Tag("integration")
class SchedulesTest {
    static final Path ROOT = Path.of("target", "schedules-test");
    static TemporalDevServer server;
    static String taskQueue;

    @BeforeAll
    static void start() throws Exception {
        server = TemporalDevServer.start(ROOT);
        taskQueue = "roma-dr-schedules-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static CliRun cli(String... args) {
        return CliRun.of(server.address(), taskQueue, args);
    }

    private static void writePlan(Path plans, Path store, String extra) throws Exception {
        Files.writeString(plans.resolve("sched.yaml"), """
                name: sched
                service:
                  composeProject: sched
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /state }
                %s""".formatted(store.toUri(), extra));
    }

    @Test
    void applyIsIdempotentFollowsThePlanAndListShowsRuns(@TempDir Path dir) throws Exception {
        Path plans = Files.createDirectories(dir.resolve("plans"));
        Path store = Files.createDirectories(dir.resolve("store"));
        writePlan(plans, store, """
                  artifacts: { service: app, path: /out }
                  git:
                    primary: { name: origin, url: "git://127.0.0.1:9/sched.git" }
                    backups: [{ name: backup, url: "git://127.0.0.1:10/sched.git" }]
                  images:
                    primary: { url: "http://127.0.0.1:9" }
                    backup: { url: "http://127.0.0.1:10" }
                    repositories: [sched]
                """);

        CliRun first = cli("schedules", "apply", "--plan", "sched", "--plans", plans.toString());
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().contains("created   roma-dr-sched-state"), first::toString);
        assertTrue(first.out().contains("created   roma-dr-sched-artifacts"), first::toString);
        assertTrue(first.out().contains("created   roma-dr-sched-retention"), first::toString);
        assertTrue(first.out().contains("created   roma-dr-sched-verification"), first::toString);
        assertTrue(first.out().contains("every 1h"), first::toString);
        // The seed's git backup is "continuous": every 15 minutes by default; images hourly (RPO 1h).
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-sched-git")
                && l.contains("every 15m")), first::toString);
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-sched-images")
                && l.contains("every 1h")), first::toString);

        CliRun again = cli("schedules", "apply", "--plan", "sched", "--plans", plans.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals(6, again.out().lines().filter(l -> l.startsWith("unchanged")).count(), again::toString);

        // The plan changes: state every 2h, artifacts no longer backed up.
        writePlan(plans, store, "  schedule: { state: 2h }\n");
        CliRun changed = cli("schedules", "apply", "--plan", "sched", "--plans", plans.toString());
        assertEquals(0, changed.exit(), changed::toString);
        assertTrue(changed.out().contains("updated   roma-dr-sched-state"), changed::toString);
        assertTrue(changed.out().contains("(interval)"), changed::toString);
        assertTrue(changed.out().contains("unchanged roma-dr-sched-retention"), changed::toString);
        assertTrue(changed.out().contains("deleted   roma-dr-sched-artifacts"), changed::toString);
        assertTrue(changed.out().contains("deleted   roma-dr-sched-git"), changed::toString);
        assertTrue(changed.out().contains("deleted   roma-dr-sched-images"), changed::toString);

        ScheduleClient schedules = ScheduleClient.newInstance(server.service(),
                ScheduleClientOptions.newBuilder().setNamespace("default").build());
        var state = schedules.getHandle("roma-dr-sched-state").describe();
        assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, state.getSchedule().getPolicy().getOverlap());
        assertEquals(Duration.ofHours(2), state.getSchedule().getSpec().getIntervals().get(0).getEvery());

        // A worker runs what the schedule starts: retention on an empty store completes.
        WorkflowClient client = WorkflowClient.newInstance(server.service(),
                WorkflowClientOptions.newBuilder().setNamespace("default").build());
        try (RomaWorker worker = new RomaWorker(client, taskQueue, new PlanRepository(plans),
                DockerClients.fromEnvironment(), NotificationSettings.NONE)) {
            worker.start();
            schedules.getHandle("roma-dr-sched-retention").trigger();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            CliRun list;
            while (true) {
                list = cli("schedules", "list", "--plan", "sched");
                assertEquals(0, list.exit(), list::toString);
                if (list.out().lines().anyMatch(l -> l.startsWith("roma-dr-sched-retention")
                        && l.contains("completed (retention-sched-"))) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    fail("the triggered retention run did not show as completed within 60s:\n" + list);
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("roma-dr-sched-state")
                    && l.matches(
                            ".*StateSnapshotWorkflow\\s+2h\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+-\\s+-$")),
                    list::toString);
        }

        CliRun bad = cli("schedules", "apply", "--plan", "nosuch", "--plans", plans.toString());
        assertEquals(2, bad.exit(), bad::toString);
    }
}
