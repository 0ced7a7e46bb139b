package io.romadr.worker.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReportFormatter;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A drill as the team runs it: the plan's {@code drills:} calendar applied with {@code roma-dr schedules apply} on the
 * real Temporal dev server, the drill's Schedule triggered now, the DrillWorkflow it starts run by a worker with the
 * production wiring against a real target, a note, an action item and the three sign-offs sent through {@code roma-dr
 * drills note|action|sign-off}; then the report, field by field against the seed's "Drill Report Template" as
 * {@link DrillReportFormatter} writes it. One method per scenario sets up its target ({@link DrillTarget}); the rest
 * is the same for every scenario.
 */
@org.junit.jupiter.api.Tag("integration")
class ScheduledDrillTest {
    static final Path ROOT = Path.of("target", "scheduled-drill-test");
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(3);
    /** The template's headings, in its order (roma-dr's own sections come after them). */
    static final List<String> TEMPLATE_SECTIONS = List.of("Results", "Timeline", "Issues Encountered",
            "Action Items", "Sign-Off");

    static EmbeddedStack stack;
    static DockerClient docker;
    static Path plans;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = EmbeddedStack.onDevServer("roma-dr-scheduled-drill-" + UUID.randomUUID().toString().substring(0, 8),
                ROOT);
        plans = Files.createDirectories(ROOT.resolve("plans-" + UUID.randomUUID().toString().substring(0, 8)));
        stack.startWorker(plans, docker);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * A scenario's drill target: its plan (without the {@code drills:} section, which the test adds), the calendar
     * entry's fault and RTO target, and the checks only that scenario can make of the report.
     */
    record DrillTarget(String planYaml, String fault, Duration rtoTarget, Consumer<DrillReport> scenarioChecks) {
    }

    // ---- one method per scenario ------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void serviceFailureDrillFromItsSchedule() throws Exception {
        String plan = "sched-s1-" + UUID.randomUUID().toString().substring(0, 8);
        drillFromSchedule(plan, "service-failure", serviceFailure(plan));
    }

    /** Scenario 1: a sandbox ROMA service (two containers), roma killed; the recovery restarts it in place. */
    private static DrillTarget serviceFailure(String plan) {
        SandboxService sandbox = SandboxService.create(docker, "romadr-" + plan, SandboxImage.DEFAULT_IMAGE,
                SandboxService.Options.defaults());
        stack.closeLater(sandbox::destroy);
        String romaBefore = sandbox.containerId("roma");
        return new DrillTarget(sandbox.planYaml(plan, "5m", "60s", "250ms", "2s", "0s", "1s"), "kill:roma",
                Duration.ofMinutes(5), r -> {
                    assertEquals("Success: killed " + sandbox.containerName("roma") + " (SIGKILL)",
                            row(r, "inject-fault").result());
                    // The recovery's own steps are rows of the drill's timeline, in its recovery phase.
                    assertTrue(row(r, "restart").result().startsWith("Success"), r.timeline().toString());
                    assertEquals("recovery", row(r, "restart").phase());
                    assertTrue(row(r, "verify-recovered").result().contains("roma running image "),
                            row(r, "verify-recovered").result());
                    assertTrue(r.stateBefore().stream().anyMatch(l -> l.startsWith("container "
                            + sandbox.containerName("roma") + " (roma): running, image ")), r.stateBefore()
                                    .toString());
                    // Restarted in place, healthy: the same container serves again.
                    assertEquals(Boolean.TRUE, docker.inspectContainerCmd(romaBefore).exec().getState()
                            .getRunning());
                    sandbox.awaitHealthy(Duration.ofSeconds(10));
                });
    }

    // ---- the same for every scenario --------------------------------------------------------------------------------

    private void drillFromSchedule(String plan, String scenario, DrillTarget target) throws Exception {
        String objective = "Recover from " + target.fault() + " within " + target.rtoTarget().toMinutes() + "m";
        Files.writeString(plans.resolve(plan + ".yaml"), target.planYaml() + """
                drills:
                  %s:
                    schedule: "0 10 1 * *"
                    objective: "%s"
                    fault: "%s"
                    rtoTarget: %dm
                    coordinator: carol
                    operator: olga
                    observer: oscar
                    manager: mia
                    signOffTimeout: 5m
                """.formatted(scenario, objective, target.fault(), target.rtoTarget().toMinutes()));
        CliRun applied = stack.cli("schedules", "apply", "--plan", plan, "--plans", plans.toString());
        assertEquals(0, applied.exit(), applied::toString);
        String scheduleId = "roma-dr-drill-" + scenario + "-" + plan;
        assertTrue(applied.out().lines().anyMatch(l -> l.startsWith("created   " + scheduleId)
                && l.contains(DrillWorkflow.TYPE)), applied::toString);

        long before = System.currentTimeMillis();
        ScheduleHandle schedule = stack.schedules().getHandle(scheduleId);
        schedule.trigger();
        String drillId = EmbeddedStack.eventually(Duration.ofSeconds(30), () -> startedBy(schedule),
                () -> "the triggered Schedule " + scheduleId + " started no workflow: " + schedule.describe()
                        .getInfo());
        assertTrue(drillId.startsWith("drill-" + scenario + "-" + plan), drillId);

        // The people's part, through the CLI as they would send it, while the drill runs.
        cli(0, "drills", "note", drillId, "--text", "nobody watched the dashboard", "--as", "oscar");
        cli(0, "drills", "action", drillId, "--text", "Put the dashboard on the wall screen", "--owner", "oscar",
                "--as", "olga");
        cli(0, "drills", "sign-off", drillId, "--role", "operator", "--as", "olga");
        cli(0, "drills", "sign-off", drillId, "--role", "observer", "--as", "oscar");
        cli(0, "drills", "sign-off", drillId, "--role", "manager", "--as", "mia", "--comment", "ok");

        DrillReport r = stack.client().newUntypedWorkflowStub(drillId)
                .getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS, DrillReport.class);
        long after = System.currentTimeMillis();
        String md = DrillReportFormatter.markdown(r);
        System.out.println(md);

        // The record: what the drill was and that it passed.
        assertEquals(drillId, r.workflowId());
        assertEquals(scenario, r.scenario());
        assertEquals(plan, r.plan());
        assertEquals(Boolean.TRUE, r.success(), md);
        assertTrue(r.startedAt() >= before && r.finishedAt() <= after, r.startedAt() + ".." + r.finishedAt());
        assertNotNull(r.rtoActualMillis(), md);
        assertTrue(r.rtoActualMillis() > 0 && r.rtoActualMillis() < target.rtoTarget().toMillis(), md);

        // The template, field by field, in its order.
        Map<String, List<String>> sections = sections(md);
        assertEquals(TEMPLATE_SECTIONS, new ArrayList<>(sections.keySet()).subList(1, 1 + TEMPLATE_SECTIONS.size()),
                md);
        String date = LocalDate.ofInstant(Instant.ofEpochMilli(r.startedAt()), ZoneOffset.UTC).toString();
        assertEquals(List.of("## Disaster Recovery Drill Report", "", "**Date:** " + date,
                "**Scenario:** " + scenarioName(scenario), "**Operator:** olga", "**Observer:** oscar", ""),
                sections.get(""), md);

        assertEquals(List.of("- **Objective:** " + objective, "- **Success:** Yes",
                "- **RTO Target:** " + ReportFormatter.clock(target.rtoTarget().toMillis()),
                "- **RTO Actual:** " + ReportFormatter.clock(r.rtoActualMillis()), "- **Data Loss:** None", ""),
                sections.get("Results"), md);

        List<String> timeline = sections.get("Timeline");
        assertEquals("| Time | Action | Result |", timeline.get(0), md);
        assertEquals("|------|--------|--------|", timeline.get(1), md);
        List<String[]> rows = new ArrayList<>();
        Pattern tableRow = Pattern.compile("^\\| (\\d\\d:\\d\\d) \\| (.+?) \\| (.+) \\|$");
        for (String line : timeline.subList(2, timeline.size())) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = tableRow.matcher(line);
            assertTrue(m.matches(), "not a timeline row: " + line);
            rows.add(new String[]{m.group(1), m.group(2), m.group(3)});
        }
        assertEquals(r.timeline().size(), rows.size(), md);
        assertEquals("00:00", rows.get(0)[0], md);
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i - 1)[0].compareTo(rows.get(i)[0]) <= 0, "timeline out of order:\n" + md);
        }
        List<String> actions = rows.stream().map(x -> x[1]).toList();
        // The drill's checklist in its order: the state documented, the fault, the recovery, verified, signed off.
        List<String> checklist = List.of("document-state", "inject-fault", "start-timer", "recovery", "stop-timer",
                "verify-recovered", "sign-off");
        assertEquals(checklist, actions.stream().filter(checklist::contains).toList(), md);
        assertEquals(1, actions.stream().filter(a -> a.equals("inject-fault")).count(), md);
        for (String[] row : rows) {
            assertFalse(row[2].startsWith("Failed"), "a failed row in a passed drill: " + String.join(" | ", row)
                    + "\n" + md);
        }
        assertEquals("Success: signed off by operator, observer, manager", row(r, "sign-off").result(), md);

        List<String> issues = nonEmpty(sections.get("Issues Encountered"));
        assertEquals(1, issues.size(), md);
        assertTrue(issues.get(0).matches("1\\. \\d{4}-\\d\\d-\\d\\dT.* \\(\\+\\d\\d:\\d\\d\\) oscar: nobody watched"
                + " the dashboard"), issues.get(0));

        assertEquals(List.of("- [ ] Put the dashboard on the wall screen (owner: oscar)"),
                nonEmpty(sections.get("Action Items")), md);

        assertEquals(List.of("- Operator: olga, " + date, "- Observer: oscar, " + date, "- Manager: mia, " + date
                + " (ok)"), nonEmpty(sections.get("Sign-Off")), md);

        // roma-dr's own sections after the template.
        assertTrue(nonEmpty(sections.get("Roles")).contains("- **Coordinator:** carol"), md);
        assertFalse(nonEmpty(sections.get("State Before the Drill")).contains("Not documented"), md);
        assertTrue(nonEmpty(sections.get("Workflows")).contains("- **Recovery workflow:** " + drillId + "-recovery"),
                md);

        target.scenarioChecks().accept(r);

        // The seed's "Last Tested / Next Test": drills list shows this drill as the scenario's last.
        String name = scenarioName(scenario);
        CliRun listed = EmbeddedStack.eventually(Duration.ofSeconds(30), () -> {
            CliRun l = stack.cli("drills", "list", "--plan", plan, "--plans", plans.toString());
            assertEquals(0, l.exit(), l::toString);
            return l.out().contains(scenario + ": last drill " + drillId) ? l : null;
        }, () -> "drills list does not show " + drillId + ":\n" + stack.cli("drills", "list", "--plan", plan,
                "--plans", plans.toString()));
        String line = listed.out().lines().filter(l -> l.startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + name + ":\n" + listed));
        assertTrue(line.matches(Pattern.quote(name) + "\\s+0 10 1 \\* \\* UTC\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"
                + "\\s+Success: Yes\\s+\\S+ / " + target.rtoTarget().toMinutes()
                + "m\\s+\\d{4}-\\d\\d-01 10:00\\s+ok$"),
                listed::toString);

        // A finished drill takes no more notes.
        CliRun late = stack.cli("drills", "note", drillId, "--text", "too late", "--as", "oscar");
        assertNotEquals(0, late.exit(), late::toString);
    }

    /** The id of the workflow the Schedule started (its most recent action), or null while it has none. */
    private static String startedBy(ScheduleHandle schedule) {
        List<ScheduleActionResult> actions = schedule.describe().getInfo().getRecentActions();
        if (actions.isEmpty()) {
            return null;
        }
        return ((ScheduleActionExecutionStartWorkflow) actions.get(actions.size() - 1).getAction()).getWorkflowId();
    }

    private static void cli(int exit, String... args) {
        CliRun run = stack.cli(args);
        assertEquals(exit, run.exit(), run::toString);
    }

    private static String scenarioName(String scenario) {
        return switch (scenario) {
            case "service-failure" -> "Service restart (Scenario 1)";
            case "data-corruption" -> "Backup restore (Scenario 2)";
            case "site-loss" -> "Full disaster recovery (Scenario 3)";
            case "git-loss" -> "Git recovery (Scenario 4)";
            default -> throw new IllegalArgumentException(scenario);
        };
    }

    /** The Markdown by its "### " headings; "" is what comes before the first. */
    static Map<String, List<String>> sections(String markdown) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        sections.put("", current);
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("### ")) {
                current = new ArrayList<>();
                sections.put(line.substring(4), current);
            } else {
                current.add(line);
            }
        }
        return sections;
    }

    private static List<String> nonEmpty(List<String> lines) {
        assertNotNull(lines);
        return lines.stream().filter(l -> !l.isEmpty()).toList();
    }

    static DrillReport.TimelineRow row(DrillReport r, String action) {
        return r.timeline().stream().filter(t -> t.action().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " in " + r.timeline()));
    }
}
