package io.romadr.cli;

import static io.romadr.cli.RomaDrCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drills note|action|sign-off} against the test server and a fake DrillWorkflow implementing the updates, and
 * {@code drills list} where the server can neither list workflows nor keep Schedules (the in-process test server):
 * the calendar with every drill never run and OVERDUE. Runs found and next runs: worker's DrillSchedulesTest on the
 * real dev server.
 */
class DrillCommandsTest {

    @BeforeAll
    static void start() {
        RomaDrCommandTest.startTemporal();
    }

    @AfterAll
    static void stop() {
        RomaDrCommandTest.stopTemporal();
    }

    private static WorkflowStub startDrill(String id) {
        WorkflowClient client = RomaDrCommandTest.temporal().client;
        DrillWorkflow drill = client.newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(TestTemporal.TASK_QUEUE).build());
        WorkflowClient.start(drill::drill, new DrillRequest("drl", "service-failure", "", "", "", "", "", "",
                Duration.ofMinutes(10), Duration.ofMinutes(5), "cli:test"));
        return WorkflowStub.fromTyped(drill);
    }

    @Test
    void notesActionItemsAndSignOffsReachTheDrillAndEndIt() throws Exception {
        String id = "drill-service-failure-drl-" + UUID.randomUUID();
        WorkflowStub drill = startDrill(id);

        RomaDrCommandTest.Run note = cli("drills", "note", id, "--text", "the alert fired 2 min late", "--as", "bob");
        assertEquals(0, note.exit(), note::toString);
        assertEquals("noted: the alert fired 2 min late", note.out().strip());

        RomaDrCommandTest.Run action = cli("drills", "action", id, "--text", "tune the alert", "--owner", "carol");
        assertEquals(0, action.exit(), action::toString);
        assertEquals("action item 1: tune the alert", action.out().strip());

        for (String role : new String[]{"operator", "observer", "manager"}) {
            RomaDrCommandTest.Run signed = cli("drills", "sign-off", id, "--role", role, "--as", role + "-name",
                    "--comment", "ok");
            assertEquals(0, signed.exit(), signed::toString);
            assertEquals("signed off as " + role + " by " + role + "-name", signed.out().strip());
        }
        DrillReport report = drill.getResult(20, java.util.concurrent.TimeUnit.SECONDS, DrillReport.class);
        assertEquals(java.util.List.of("the alert fired 2 min late (bob)"), report.issues());
        assertEquals(new DrillReport.ActionItem("tune the alert", "carol", false), report.actionItems().get(0));
        assertEquals(java.util.List.of("operator", "observer", "manager"),
                report.signOffs().stream().map(DrillReport.SignOffRecord::role).toList());
        assertEquals("observer-name", report.signOffs().get(1).name());
        assertEquals("ok", report.signOffs().get(1).note());
    }

    @Test
    void anUpdateTheDrillRefusesExitsOneWithItsReasonAndNoStackTrace() {
        String id = "drill-service-failure-drl-" + UUID.randomUUID();
        startDrill(id);
        RomaDrCommandTest.Run first = cli("drills", "sign-off", id, "--role", "observer", "--as", "carol");
        assertEquals(0, first.exit(), first::toString);
        RomaDrCommandTest.Run again = cli("drills", "sign-off", id, "--role", "observer", "--as", "dave");
        assertEquals(1, again.exit(), again::toString);
        assertEquals("refused by " + id + ": the observer already signed off", again.err().strip());
        assertFalse(again.err().contains("at io."), again.err());

        RomaDrCommandTest.Run blank = cli("drills", "note", id, "--text", " ");
        assertEquals(1, blank.exit(), blank::toString);
        assertTrue(blank.err().contains("a note needs a text"), blank.err());
    }

    @Test
    void anUnknownDrillExitsFourAndABadRoleIsAUsageError() {
        RomaDrCommandTest.Run none = cli("drills", "note", "drill-nosuch-" + UUID.randomUUID(), "--text", "x");
        assertEquals(4, none.exit(), none::toString);
        assertTrue(none.err().startsWith("roma-dr: no running workflow drill-nosuch-"), none.err());

        RomaDrCommandTest.Run role = cli("drills", "sign-off", "any", "--role", "coordinator");
        assertEquals(2, role.exit(), role::toString);
        assertTrue(role.err().contains("operator, observer, manager"), role.err());

        RomaDrCommandTest.Run bare = RomaDrCommandTest.raw("drills");
        assertEquals(2, bare.exit(), bare::toString);
        assertTrue(bare.err().contains("Missing the command: list, report, note, action or sign-off"), bare.err());

        RomaDrCommandTest.Run noText = cli("drills", "action", "any");
        assertEquals(2, noText.exit(), noText::toString);
        assertTrue(noText.err().contains("--text"), noText.err());
    }

    @Test
    void listWithoutVisibilityOrSchedulesShowsTheCalendarNeverDrilledAndOverdue(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("cal.yaml"), PlanDrillsYaml.PLAN);
        RomaDrCommandTest.Run list = cli("drills", "list", "--plan", "cal", "--plans", dir.toString());
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.err().contains("this server cannot list workflows"), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Service restart (Scenario 1)")
                && l.contains("0 10 1 * * UTC") && l.contains("never")
                && l.contains("- / 15m") && l.contains("OVERDUE: never drilled; no Schedule")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Backup restore (Scenario 2)")
                && l.contains("0 10 15 1,4,7,10 * Europe/Berlin") && l.contains("- / 4h")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Git recovery (Scenario 4)")
                && l.contains("not in the plan's calendar")), list.out());
        assertTrue(list.out().contains("reports: not stored: plan cal has no backup store"), list.out());

        RomaDrCommandTest.Run json = cli("drills", "list", "--plan", "cal", "--plans", dir.toString(), "--format",
                "json");
        assertEquals(0, json.exit(), json::toString);
        JsonNode lines = new ObjectMapper().readTree(json.out());
        assertEquals(4, lines.size());
        assertEquals("service-failure", lines.get(0).get("scenario").asText());
        assertTrue(lines.get(0).get("overdue").asBoolean());
        assertEquals(900_000, lines.get(0).get("rtoTargetMillis").asLong());
        assertEquals("data-corruption", lines.get(1).get("scenario").asText());
        assertFalse(lines.get(3).get("overdue").asBoolean());

        RomaDrCommandTest.Run bad = cli("drills", "list", "--plan", "cal", "--plans", dir.toString(), "--format",
                "xml");
        assertEquals(2, bad.exit(), bad::toString);
    }

    @Test
    void listShowsEachDrillTypesLastStoredReportWithItsSignOffAndWhereItIs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("calstore.yaml"), PlanDrillsYaml.PLAN.replace("name: cal", "name: calstore")
                + PlanDrillsYaml.STORE);
        RomaDrCommandTest.Run list = cli("drills", "list", "--plan", "calstore", "--plans", dir.toString());
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Service restart (Scenario 1)")
                && l.contains("2026-12-01 10:00") && l.contains("Success: Yes") && l.contains("4m12s / 15m")
                && l.contains(" yes ")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Backup restore (Scenario 2)")
                && l.contains("2026-12-01 09:00") && l.contains("Success: No") && l.contains("- / 15m")
                && l.contains(" NO ")), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Git recovery (Scenario 4)")
                && l.contains("never")), list.out());
        assertTrue(list.out().contains("service-failure: last drill drill-sf-new, report "
                + "file:///tmp/roma-dr-cli-test/drills/calstore/x-service-failure-drill-sf-new.html"), list.out());
        assertTrue(list.out().contains("reports: skipped 1 report(s): drills/calstore/broken.json: not a drill "
                + "report"), list.out());

        RomaDrCommandTest.Run json = cli("drills", "list", "--plan", "calstore", "--plans", dir.toString(),
                "--format", "json");
        assertEquals(0, json.exit(), json::toString);
        JsonNode lines = new ObjectMapper().readTree(json.out());
        assertEquals("drill-sf-new", lines.get(0).get("lastRun").asText());
        assertTrue(lines.get(0).get("success").asBoolean());
        assertTrue(lines.get(0).get("signedOff").asBoolean());
        assertEquals(252_000, lines.get(0).get("rtoActualMillis").asLong());
        assertTrue(lines.get(0).get("report").asText().endsWith("x-service-failure-drill-sf-new.html"));
        assertFalse(lines.get(1).get("signedOff").asBoolean());
        assertTrue(lines.get(3).get("signedOff").isNull());
        assertTrue(json.err().contains("reports: skipped 1 report(s)"), json.err());
    }

    @Test
    void aPlanWhoseWorkerSeesNoStoreListsWithTheWorkersReason(@TempDir Path dir) throws Exception {
        // The CLI's copy of the plan names a store, the worker's (FakeActivities: nobackup*) has none.
        Files.writeString(dir.resolve("nobackupcal.yaml"), PlanDrillsYaml.PLAN.replace("name: cal",
                "name: nobackupcal") + PlanDrillsYaml.STORE);
        RomaDrCommandTest.Run list = cli("drills", "list", "--plan", "nobackupcal", "--plans", dir.toString());
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().contains("reports: plan nobackupcal has no backup store"), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("Service restart (Scenario 1)")
                && l.contains("never")), list.out());
    }

    @Test
    void reportPrintsAFinishedDrillsReportAsMarkdownJsonOrItsHtmlPage() throws Exception {
        String id = "drill-service-failure-drl-" + UUID.randomUUID();
        WorkflowStub drill = startDrill(id);
        RomaDrCommandTest.Run running = cli("drills", "report", id);
        assertEquals(5, running.exit(), running::toString);
        assertTrue(running.out().contains("**Success:**"), running.out());
        for (String role : new String[]{"operator", "observer", "manager"}) {
            assertEquals(0, cli("drills", "sign-off", id, "--role", role, "--as", role + "-name").exit());
        }
        drill.getResult(20, java.util.concurrent.TimeUnit.SECONDS, DrillReport.class);

        RomaDrCommandTest.Run md = cli("drills", "report", id);
        assertEquals(0, md.exit(), md::toString);
        assertTrue(md.out().startsWith("## Disaster Recovery Drill Report"), md.out());
        assertTrue(md.out().contains("- **Success:** Yes") && md.out().contains("manager-name"), md.out());

        RomaDrCommandTest.Run json = cli("drills", "report", id, "--format", "json");
        assertEquals(0, json.exit(), json::toString);
        assertEquals(id, new ObjectMapper().readTree(json.out()).get("workflowId").asText());

        RomaDrCommandTest.Run html = cli("drills", "report", id, "--format", "html");
        assertEquals(0, html.exit(), html::toString);
        assertTrue(html.out().startsWith("<!DOCTYPE html>") && html.out().contains("<svg"), html.out());
    }

    @Test
    void reportOfAPlansNewestStoredDrillThatTemporalNoLongerKeepsSaysWhereItsStoredReportIs() {
        RomaDrCommandTest.Run gone = cli("drills", "report", "--plan", FakeDrillReports.PLAN);
        assertEquals(4, gone.exit(), gone::toString);
        assertTrue(gone.err().contains("Temporal no longer keeps drill drill-sf-new; its stored report: "
                + "file:///tmp/roma-dr-cli-test/drills/calstore/x-service-failure-drill-sf-new.html"), gone.err());

        RomaDrCommandTest.Run none = cli("drills", "report", "--plan", "nodrills");
        assertEquals(4, none.exit(), none::toString);
        assertTrue(none.err().contains("no drill report stored for plan nodrills"), none.err());

        RomaDrCommandTest.Run neither = cli("drills", "report");
        assertEquals(2, neither.exit(), neither::toString);
        assertTrue(neither.err().contains("name a drill (DRILL-ID) or a plan (--plan NAME)"), neither.err());
    }

    /** A plan with a calendar for Scenarios 1 and 2. */
    static final class PlanDrillsYaml {
        static final String PLAN = """
                name: cal
                service:
                  composeProject: cal
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                drills:
                  service-failure: { schedule: "0 10 1 * *", rtoTarget: 15m, operator: bob }
                  data-corruption: { schedule: "0 10 15 1,4,7,10 *", timeZone: Europe/Berlin }
                """;
        /** A backup section for {@link #PLAN}. */
        static final String STORE = """
                backup:
                  store: { uri: "file:///tmp/roma-dr-cli-test" }
                """;
    }
}
