package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.report.Outcome;
import io.romadr.report.RecoveryReport;
import io.romadr.report.StepOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Drives {@code roma-dr} in-process against the test server and a worker with fake activities. */
class RomaDrCommandTest {
    private static TestTemporal temporal;

    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    @BeforeAll
    static void startTemporal() {
        temporal = new TestTemporal();
    }

    @AfterAll
    static void stopTemporal() {
        if (temporal != null) {
            temporal.close();
        }
    }

    /** Runs the command as typed, nothing added. */
    static Run raw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RomaDrCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs the command against the test server and its worker's task queue. */
    static Run cli(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--address", temporal.address(), "--task-queue", TestTemporal.TASK_QUEUE));
        return raw(all.toArray(String[]::new));
    }

    @Test
    void recoverWaitPrintsTheReportWithStepTimingsAndExitsZero() {
        Run run = cli("recover", "service", "--plan", "p", "--reason", "drill", "--wait");
        assertEquals(0, run.exit(), run::toString);
        String firstLine = run.out().lines().findFirst().orElseThrow();
        assertTrue(firstLine.matches("service-failure-p-\\d{8}-\\d{6}"), firstLine);
        assertTrue(run.out().contains("## Recovery report: service-failure / plan p"), run::out);
        assertTrue(run.out().contains("- **Reason:** drill"), run::out);
        assertTrue(run.out().contains("- **Outcome:** RECOVERED"), run::out);
        assertTrue(run.out().contains("| Time | Step | Round | Duration | Attempts | Result | Detail |"), run::out);
        for (String step : List.of("load-plan", "assess", "restart", "wait-healthy", "verify")) {
            assertTrue(Pattern.compile("(?m)^\\| \\d\\d:\\d\\d \\| " + step + " \\| \\d \\| \\d+\\.\\ds \\| ")
                    .matcher(run.out()).find(), () -> step + " missing in\n" + run.out());
        }
        assertTrue(run.out().contains("Recovered by restart"), run::out);
    }

    @Test
    void aRecoveryThatFailsExitsOne() {
        Run run = cli("recover", "service", "--plan", "broken", "--wait");
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains("- **Outcome:** FAILED"), run::out);
        assertTrue(run.out().contains("| recreate |"), run::out);
    }

    @Test
    void aRecoveryPastItsRtoExitsThree() {
        Run run = cli("recover", "service", "--plan", "late", "--wait");
        assertEquals(3, run.exit(), run::toString);
        assertTrue(run.out().contains("RTO BREACHED"), run::out);
        assertTrue(run.out().contains("| rto-breached |"), run::out);
    }

    @Test
    void reportAsJsonParsesBackAndAsMarkdown() throws Exception {
        String id = "cli-test-report-json";
        assertEquals(0, cli("recover", "service", "--plan", "p", "--workflow-id", id, "--wait").exit());

        Run json = cli("report", id, "--format", "json");
        assertEquals(0, json.exit(), json::toString);
        RecoveryReport report = new ObjectMapper().readValue(json.out(), RecoveryReport.class);
        assertEquals(id, report.workflowId());
        assertEquals(Outcome.RECOVERED, report.outcome());
        assertEquals("p", report.plan());
        assertTrue(report.timeline().stream().anyMatch(s -> s.step().equals("restart")
                && s.outcome() == StepOutcome.OK), report::toString);

        Run md = cli("report", id);
        assertEquals(0, md.exit(), md::toString);
        assertTrue(md.out().startsWith("## Recovery report: service-failure / plan p"), md::out);
    }

    @Test
    void reportOfAnUnknownWorkflowExitsFourWithOneLine() {
        Run run = cli("report", "no-such-workflow");
        assertEquals(4, run.exit(), run::toString);
        assertEquals(List.of("roma-dr: workflow no-such-workflow not found in namespace default"), run.errLines());
        assertEquals("", run.out());
        assertEquals(4, cli("status", "no-such-workflow").exit());
    }

    @Test
    void aRunningRecoveryStatusOnceReportAndFollow() throws Exception {
        FakeActivities.RELEASE = new CountDownLatch(1);
        String id = "cli-test-running";
        Run start = cli("recover", "service", "--plan", "slow", "--workflow-id", id);
        assertEquals(0, start.exit(), start::toString);
        assertEquals(id, start.out().strip());
        assertTrue(start.err().contains("roma-dr status " + id), start::err);

        Pattern line = Pattern.compile("\\[\\d\\d:\\d\\d] step=wait-healthy round=1 rto-left=\\d\\d:\\d\\d");
        Run once = null;
        for (int i = 0; i < 50; i++) {
            once = cli("status", id, "--once");
            if (line.matcher(once.out()).find()) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, once.exit(), once.toString());
        assertTrue(line.matcher(once.out()).find(), once.toString());
        assertEquals(1, once.out().lines().count(), once::out);

        Run report = cli("report", id);
        assertEquals(5, report.exit(), report::toString);
        assertEquals(1, report.errLines().size(), report::err);
        assertTrue(report.err().contains("still running"), report::err);

        new Thread(() -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FakeActivities.RELEASE.countDown();
        }).start();
        Run follow = cli("status", id);
        assertEquals(0, follow.exit(), follow::toString);
        List<String> lines = follow.out().lines().toList();
        assertTrue(line.matcher(lines.get(0)).find(), follow::out);
        assertTrue(lines.get(lines.size() - 1).startsWith("RECOVERED " + id + " in "), follow::out);
    }

    @Test
    void aTerminatedRecoveryCountsAsFailed() {
        FakeActivities.RELEASE = new CountDownLatch(1);
        String id = "cli-test-terminated";
        assertEquals(0, cli("recover", "service", "--plan", "slow-terminated", "--workflow-id", id).exit());
        temporal.client.newUntypedWorkflowStub(id).terminate("test");
        for (String command : List.of("status", "report")) {
            Run run = cli(command, id);
            assertEquals(1, run.exit(), run::toString);
            assertEquals(List.of("roma-dr: workflow " + id
                    + " was terminated without a report; counted as a failed recovery"), run.errLines());
        }
        FakeActivities.RELEASE.countDown();
    }

    @Test
    void anUnreachableServerExitsSixWithOneLineAndNoStackTrace() {
        int closed = TestTemporal.freePort();
        long start = System.nanoTime();
        Run run = raw("status", "x", "--address", "127.0.0.1:" + closed);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(6, run.exit(), run::toString);
        assertEquals(List.of("roma-dr: cannot reach Temporal at 127.0.0.1:" + closed
                + " (is the server running? set --address or TEMPORAL_ADDRESS)"), run.errLines());
        assertFalse(run.err().contains("Exception"), run::err);
        assertTrue(millis < 4_000, "a refused connection should fail at once, took " + millis + " ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "recover", "recover service", "status", "report"})
    void helpWorksOnEveryCommand(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : Arrays.asList(command.split(" ")));
        args.add("--help");
        Run run = raw(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().startsWith("Usage: roma-dr" + (command.isEmpty() ? "" : " " + command)), run::out);
        assertTrue(run.out().contains("Exit codes:"), run::out);
        assertTrue(run.out().contains("3   recovered, but the RTO was breached"), run::out);
    }

    @Test
    void versionAndUsageErrors() {
        Run version = raw("--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("roma-dr 0.1.0-SNAPSHOT"), version::out);

        assertEquals(2, raw().exit());
        assertEquals(2, raw("recover").exit());
        assertEquals(2, raw("recover", "service").exit());
        assertEquals(2, raw("recover", "service", "--plan", "Not a plan").exit());
        assertEquals(2, raw("status").exit());
        assertEquals(2, raw("report", "x", "--format", "pdf").exit());
        assertEquals(2, raw("frobnicate").exit());
    }
}
