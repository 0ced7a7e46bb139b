package io.romadr.worker.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.docker.DockerClients;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
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
    static EmbeddedStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.onDevServer("roma-dr-schedules-" + UUID.randomUUID().toString().substring(0, 8), ROOT);
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
        // The seed's quarterly "audit access to backups".
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-sched-audit")
                && l.contains("every 90d")), first::toString);
        // The seed's git backup is "continuous": every 15 minutes by default; images hourly (RPO 1h).
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-sched-git")
                && l.contains("every 15m")), first::toString);
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-sched-images")
                && l.contains("every 1h")), first::toString);

        CliRun again = cli("schedules", "apply", "--plan", "sched", "--plans", plans.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals(7, again.out().lines().filter(l -> l.startsWith("unchanged")).count(), again::toString);

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

        ScheduleClient schedules = stack.schedules();
        var state = schedules.getHandle("roma-dr-sched-state").describe();
        assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, state.getSchedule().getPolicy().getOverlap());
        assertEquals(Duration.ofHours(2), state.getSchedule().getSpec().getIntervals().get(0).getEvery());

        // A worker runs what the schedule starts: retention on an empty store completes.
        stack.startWorker(plans, DockerClients.fromEnvironment());
        schedules.getHandle("roma-dr-sched-retention").trigger();
        CliRun list = EmbeddedStack.eventually(Duration.ofSeconds(60), () -> {
            CliRun l = cli("schedules", "list", "--plan", "sched");
            assertEquals(0, l.exit(), l::toString);
            return l.out().lines().anyMatch(x -> x.startsWith("roma-dr-sched-retention")
                    && x.contains("completed (retention-sched-")) ? l : null;
        }, () -> "the triggered retention run did not show as completed:\n"
                + cli("schedules", "list", "--plan", "sched"));
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("roma-dr-sched-state")
                && l.matches(".*StateSnapshotWorkflow\\s+2h\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+-\\s+-$")),
                list::toString);

        CliRun bad = cli("schedules", "apply", "--plan", "nosuch", "--plans", plans.toString());
        assertEquals(2, bad.exit(), bad::toString);
    }
}
