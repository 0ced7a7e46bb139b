package io.romadr.worker.schedules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
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
 * The plan's drill calendar on the real Temporal dev server: {@code schedules apply} makes one Schedule per drill
 * (calendar in the plan's zone, a DrillWorkflow with the calendar's request, overlap skip) and leaves it unchanged
 * on a second run; a triggered drill (a canned DrillWorkflow) shows in {@code drills list} with its result, RTO and
 * the next run; a drill the calendar drops is deleted.
 */
@org.junit.jupiter.api.Tag("integration")
class DrillSchedulesTest {
    static final Path ROOT = Path.of("target", "drill-schedules-test");
    static EmbeddedStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.onDevServer("roma-dr-drills-" + UUID.randomUUID().toString().substring(0, 8), ROOT);
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

    /**
     * Completes at once with a successful report (RTO actual 4m12s against the request's target); a site-loss drill
     * fails instead.
     */
    public static class CannedDrill implements DrillWorkflow {
        private DrillRequest request;

        @Override
        public DrillReport drill(DrillRequest request) {
            this.request = request;
            if (request.scenario().equals("site-loss")) {
                throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("the site did not come back",
                        "drill-failed");
            }
            return progress();
        }

        @Override
        public DrillReport progress() {
            return new DrillReport(Workflow.getInfo().getWorkflowId(), "2026-12-01", request.scenario(), "",
                    request.plan(), request.coordinator(), request.operator(), request.observer(), request.manager(),
                    request.objective(), true, request.rtoTarget().toMillis(), 252_000L, "None", 0, 0, List.of(),
                    List.of(), List.of(), List.of(), List.of(), "", request.requestedBy());
        }

        @Override
        public String note(DrillNote note) {
            return "";
        }

        @Override
        public String actionItem(DrillActionItem item) {
            return "";
        }

        @Override
        public String signOff(DrillSignOff signOff) {
            return "";
        }

        @Override
        public void validateNote(DrillNote note) {
        }

        @Override
        public void validateActionItem(DrillActionItem item) {
        }

        @Override
        public void validateSignOff(DrillSignOff signOff) {
        }
    }

    private static void writePlan(Path plans, String drills) throws Exception {
        Files.writeString(plans.resolve("cal.yaml"), """
                name: cal
                service:
                  composeProject: cal
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                drills:
                %s""".formatted(drills));
    }

    @Test
    void applyMakesTheCalendarsSchedulesAndDrillsListShowsLastAndNext(@TempDir Path dir) throws Exception {
        Path plans = Files.createDirectories(dir.resolve("plans"));
        writePlan(plans, """
                  service-failure: { schedule: "0 10 1 * *", rtoTarget: 15m, operator: bob }
                  data-corruption: { schedule: "30 9 15 1,4,7,10 *", timeZone: Europe/Berlin, rtoTarget: 4h }
                  site-loss: { schedule: "0 10 1 3 *" }
                """);
        CliRun first = cli("schedules", "apply", "--plan", "cal", "--plans", plans.toString());
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-drill-service-failure-cal")
                && l.contains("DrillWorkflow") && l.contains("cron 0 10 1 * * UTC")), first::toString);
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-drill-data-corruption-cal")
                && l.contains("cron 30 9 15 1,4,7,10 * Europe/Berlin")), first::toString);
        // The drills' drill-upcoming notices: one hourly schedule per plan.
        assertTrue(first.out().lines().anyMatch(l -> l.startsWith("created   roma-dr-drill-notices-cal")
                && l.contains("DrillNoticeWorkflow") && l.contains("every 1h")), first::toString);

        CliRun again = cli("schedules", "apply", "--plan", "cal", "--plans", plans.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals(4, again.out().lines().filter(l -> l.startsWith("unchanged")).count(), again::toString);

        ScheduleClient schedules = stack.schedules();
        ScheduleDescription s2 = schedules.getHandle("roma-dr-drill-data-corruption-cal").describe();
        assertEquals(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP, s2.getSchedule().getPolicy().getOverlap());
        assertEquals("Europe/Berlin", s2.getSchedule().getSpec().getTimeZoneName());
        ScheduleActionStartWorkflow action = (ScheduleActionStartWorkflow) s2.getSchedule().getAction();
        assertEquals(DrillWorkflow.TYPE, action.getWorkflowType());
        assertEquals(new DrillRequest("cal", "data-corruption", "", "", "", "", "", "", Duration.ofHours(4),
                Duration.ofHours(24), "schedule"), action.getArguments().get(0, DrillRequest.class));
        // The server computes the next run from the calendar: the 15th of a quarter's first month, 09:30 Berlin.
        String next = s2.getInfo().getNextActionTimes().get(0).atZone(java.time.ZoneId.of("Europe/Berlin"))
                .toString();
        assertTrue(next.matches("\\d{4}-(01|04|07|10)-15T09:30\\+0[12]:00\\[Europe/Berlin]"), next);

        CliRun listed = cli("schedules", "list", "--plan", "cal");
        assertEquals(0, listed.exit(), listed::toString);
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("roma-dr-drill-service-failure-cal")
                && l.contains("cron 0 10 1 * * UTC")), listed::toString);

        WorkerFactory factory = WorkerFactory.newInstance(stack.client());
        try {
            Worker worker = factory.newWorker(stack.taskQueue());
            worker.registerWorkflowImplementationTypes(CannedDrill.class);
            factory.start();
            schedules.getHandle("roma-dr-drill-service-failure-cal").trigger();
            schedules.getHandle("roma-dr-drill-site-loss-cal").trigger();
            CliRun list = EmbeddedStack.eventually(Duration.ofSeconds(60), () -> {
                CliRun l = cli("drills", "list", "--plan", "cal", "--plans", plans.toString());
                assertEquals(0, l.exit(), l::toString);
                return l.out().lines().anyMatch(x -> x.startsWith("Service restart (Scenario 1)")
                        && x.contains("Success: Yes"))
                        && l.out().lines().anyMatch(x -> x.startsWith("Full disaster recovery (Scenario 3)")
                                && x.contains(" failed "))
                                        ? l
                                        : null;
            }, () -> "the triggered drills did not show as a success and a failure:\n"
                    + cli("drills", "list", "--plan", "cal", "--plans", plans.toString()));
            String s1 = list.out().lines().filter(l -> l.startsWith("Service restart (Scenario 1)")).findFirst()
                    .orElseThrow();
            assertTrue(s1.matches("Service restart \\(Scenario 1\\)\\s+0 10 1 \\* \\* UTC\\s+"
                    + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+Success: Yes\\s+4m12s / 15m\\s+-\\s+"
                    + "\\d{4}-\\d\\d-01 10:00\\s+ok$"), list::toString);
            assertTrue(list.out().contains("service-failure: last drill drill-service-failure-cal-"), list::toString);
            String s2line = list.out().lines().filter(l -> l.startsWith("Backup restore (Scenario 2)")).findFirst()
                    .orElseThrow();
            assertTrue(s2line.contains("never") && s2line.contains("ok (not drilled yet)"), list::toString);
            // A failed drill has no report: its result is how it ended; the target is the plan's site-loss RTO.
            String s3 = list.out().lines().filter(l -> l.startsWith("Full disaster recovery (Scenario 3)"))
                    .findFirst().orElseThrow();
            assertTrue(s3.matches(".*\\s+failed\\s+- / 1h30m\\s+-\\s+\\d{4}-03-01 10:00\\s+ok$"), list::toString);
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Git recovery (Scenario 4)")
                    && l.contains("not in the plan's calendar")), list::toString);

            CliRun json = cli("drills", "list", "--plan", "cal", "--plans", plans.toString(), "--format", "json");
            assertEquals(0, json.exit(), json::toString);
            var lines = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
            assertEquals(true, lines.get(0).get("success").asBoolean());
            assertEquals(252_000, lines.get(0).get("rtoActualMillis").asLong());
            assertEquals(false, lines.get(0).get("overdue").asBoolean());
        } finally {
            factory.shutdownNow();
            factory.awaitTermination(5, TimeUnit.SECONDS);
        }

        // A paused drill Schedule will not run: overdue.
        schedules.getHandle("roma-dr-drill-data-corruption-cal").pause("test");
        CliRun paused = cli("drills", "list", "--plan", "cal", "--plans", plans.toString());
        assertEquals(0, paused.exit(), paused::toString);
        assertTrue(paused.out().lines().anyMatch(l -> l.startsWith("Backup restore (Scenario 2)")
                && l.contains("OVERDUE: the Schedule is paused")), paused::toString);

        // The calendar drops Scenarios 2 and 3 and moves Scenario 1: deleted and updated.
        writePlan(plans, """
                  service-failure: { schedule: "0 11 1 * *", rtoTarget: 15m, operator: bob }
                """);
        CliRun changed = cli("schedules", "apply", "--plan", "cal", "--plans", plans.toString());
        assertEquals(0, changed.exit(), changed::toString);
        assertTrue(changed.out().contains("updated   roma-dr-drill-service-failure-cal"), changed::toString);
        assertTrue(changed.out().contains("(calendar)"), changed::toString);
        assertTrue(changed.out().contains("deleted   roma-dr-drill-data-corruption-cal"), changed::toString);
        assertTrue(changed.out().contains("deleted   roma-dr-drill-site-loss-cal"), changed::toString);
    }
}
