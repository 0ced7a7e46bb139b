package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.romadr.scenario.drill.DrillReport;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * {@code roma-dr drill <scenario> --plan P} against the test server and {@link FakeLiveDrill} on a task queue of its
 * own: the rows followed live, the sign-off hint, the report, the exit codes, and bad input refused before any
 * connection. The real DrillWorkflow on the real worker and sandbox: worker's ServerDrillIT.
 */
class ServerDrillCommandTest {
    private static final String QUEUE = "roma-dr-cli-drill-test";
    private static WorkerFactory factory;

    @BeforeAll
    static void start() {
        RomaDrCommandTest.startTemporal();
        factory = WorkerFactory.newInstance(RomaDrCommandTest.temporal().client);
        factory.newWorker(QUEUE).registerWorkflowImplementationTypes(FakeLiveDrill.class);
        factory.start();
    }

    @AfterAll
    static void stop() {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
        RomaDrCommandTest.stopTemporal();
    }

    private static String[] onQueue(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--address", RomaDrCommandTest.temporal().address(), "--task-queue", QUEUE));
        return all.toArray(String[]::new);
    }

    private static RomaDrCommandTest.Run drill(String... args) {
        return RomaDrCommandTest.raw(onQueue(args));
    }

    /** {@code roma-dr drill ...} in the background, its output readable while it runs. */
    private record Following(StringWriter out, StringWriter err, CompletableFuture<RomaDrCommandTest.Run> run) {
        static Following start(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            return new Following(out, err, CompletableFuture.supplyAsync(() -> {
                CommandLine cl = new CommandLine(new RomaDrCommand());
                cl.setOut(new PrintWriter(out, true));
                cl.setErr(new PrintWriter(err, true));
                return new RomaDrCommandTest.Run(cl.execute(onQueue(args)), out.toString(), err.toString());
            }));
        }

        void awaitErr(String text) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(20);
            while (!err.toString().contains(text)) {
                if (Instant.now().isAfter(deadline) || run.isDone()) {
                    fail("never printed \"" + text + "\"; out:\n" + out + "\nerr:\n" + err);
                }
                Thread.sleep(50);
            }
        }

        RomaDrCommandTest.Run result() throws Exception {
            return run.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPassedDrillPrintsEachRowOnceTheSignOffHintOnceTheReportAndExitsZero() throws Exception {
        Following f = Following.start("drill", "service-failure", "--plan", "drl", "--operator", "bob",
                "--observer", "carol", "--fault", "stop:app", "--rto", "10m", "--sign-off-timeout", "1m");
        f.awaitErr("waiting for the sign-offs of operator, observer, manager:");
        String id = f.out().toString().lines().findFirst().orElseThrow();
        assertTrue(id.matches("drill-service-failure-drl-\\d{8}-\\d{6}"), id);
        for (String role : List.of("operator", "observer", "manager")) {
            RomaDrCommandTest.Run signed = drill("drills", "sign-off", id, "--role", role, "--as", role + "-x");
            assertEquals(0, signed.exit(), signed::toString);
        }
        RomaDrCommandTest.Run run = f.result();
        assertEquals(ExitCodes.RECOVERED, run.exit(), run::toString);

        List<String> rows = run.out().lines().filter(l -> l.startsWith("[+")).toList();
        assertEquals(4, rows.size(), run::out);
        assertTrue(rows.get(0).matches("\\[\\+00:0\\d] pre-drill +document-state +Success: 3 item\\(s\\) "
                + "documented"), rows.get(0));
        assertTrue(rows.get(1).matches("\\[\\+00:0\\d] fault +inject-fault +Success: stop:app app"), rows.get(1));
        assertTrue(rows.get(2).matches("\\[\\+00:0\\d] recovery +restart app +Success: app healthy"), rows.get(2));
        assertTrue(rows.get(3).matches("\\[\\+00:\\d\\d] post-drill +sign-off +Success: signed off"), rows.get(3));
        assertTrue(run.out().contains("## Disaster Recovery Drill Report\n"), run::out);
        assertTrue(run.out().contains("**Operator:** bob\n"), run::out);
        assertTrue(run.out().contains("- **Success:** Yes\n"), run::out);
        assertTrue(run.out().contains("- **RTO Target:** 10:00\n"), run::out);
        assertTrue(run.out().contains("- Observer: observer-x, "), run::out);

        assertEquals(1, count(run.err(), "waiting for the sign-offs"), run::err);
        assertEquals(1, count(run.err(), "  sign off: roma-dr drills sign-off " + id
                + " --role operator|observer|manager --as NAME"), run::err);
        assertTrue(run.err().contains("Ctrl-C stops the following, not the drill"), run::err);
    }

    @Test
    void aFailedDrillPrintsItsReportFromTheFailureAndExitsOne() {
        String id = "drill-fails-" + UUID.randomUUID();
        RomaDrCommandTest.Run run = drill("drill", "data-corruption", "--plan", "drl", "--id", id, "--objective",
                FakeLiveDrill.FAIL, "--sign-off-timeout", "1s");
        assertEquals(ExitCodes.FAILED, run.exit(), run::toString);
        assertEquals(id, run.out().lines().findFirst().orElseThrow());
        assertTrue(run.out().contains("- **Success:** No\n"), run::out);
        assertTrue(run.out().contains("- Manager: _______________ (not signed: not signed within PT1S)\n"),
                run::out);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("\\[\\+00:\\d\\d] post-drill +sign-off +Failed: not "
                + "signed")), run::out);
        assertFalse(run.err().contains("roma-dr:"), run::err);
    }

    @Test
    void detachPrintsTheIdAndHowToFollowAndTotalLossIsSiteLoss() throws Exception {
        RomaDrCommandTest.Run run = drill("drill", "total-loss", "--plan", "drl", "--detach");
        assertEquals(0, run.exit(), run::toString);
        String id = run.out().strip();
        assertTrue(id.matches("drill-site-loss-drl-\\d{8}-\\d{6}"), id);
        assertTrue(run.err().contains("temporal workflow describe -w " + id), run::err);
        assertTrue(run.err().contains("roma-dr drills sign-off " + id), run::err);
        WorkflowStub stub = RomaDrCommandTest.temporal().client.newUntypedWorkflowStub(id);
        Instant deadline = Instant.now().plusSeconds(20);
        DrillReport progress = stub.query("progress", DrillReport.class);
        while (progress == null && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            progress = stub.query("progress", DrillReport.class);
        }
        assertEquals("site-loss", progress == null ? null : progress.scenario());
        assertEquals("cli:" + System.getProperty("user.name"), RomaDrCommandTest.temporal().client
                .fetchHistory(id).getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput()
                .getPayloads(0).getData().toStringUtf8().replaceAll(".*\"requestedBy\":\"([^\"]*)\".*", "$1"));

        RomaDrCommandTest.Run again = drill("drill", "site-loss", "--plan", "drl", "--id", id, "--detach");
        assertEquals(ExitCodes.ERROR, again.exit(), again::toString);
        assertEquals("roma-dr: workflow " + id + " is already running", again.err().strip());

        stub.terminate("test over");
    }

    @Test
    void aDrillTerminatedWhileFollowedIsAFailedDrillWithoutAReport() throws Exception {
        String id = "drill-terminated-" + UUID.randomUUID();
        Following f = Following.start("drill", "git-loss", "--plan", "drl", "--id", id);
        f.awaitErr("waiting for the sign-offs");
        RomaDrCommandTest.temporal().client.newUntypedWorkflowStub(id).terminate("operator gave up");
        RomaDrCommandTest.Run run = f.result();
        assertEquals(ExitCodes.FAILED, run.exit(), run::toString);
        assertTrue(run.err().contains("roma-dr: drill workflow " + id + " was terminated without a report; counted "
                + "as a failed drill"), run::err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope|--plan|x|unknown scenario \"nope\" (known: [data-corruption, git-loss, "
            + "service-failure, site-loss], and total-loss for site-loss)",
            "service-failure|--plan|x|--fault|truncate|unknown fault \"truncate\" for service-failure (known: kill, "
                    + "stop, remove)",
            "git-loss|--plan|x|--fault|delete:repo|-",
            "site-loss|--plan|x|--rto|fast|invalid value for --rto: expected a duration such as 30s, 15m, 1h30m or "
                    + "7d, got \"fast\"",
            "site-loss|--plan|x|--sign-off-timeout|-1h|invalid value for --sign-off-timeout: a duration cannot be "
                    + "negative, got \"-1h\"",
            "service-failure|missing --plan NAME: the plan drilled",
            "service-failure|--plan|x|--alert-timeout|5m|--alert-timeout needs --alerting",
            "git-loss|--plan|x|--alerting|--alerting drills Scenario 1 (service-failure) only",
            "service-failure|--plan|x|--alerting|--alert-timeout|soon|invalid value for --alert-timeout: expected a "
                    + "duration such as 30s, 15m, 1h30m or 7d, got \"soon\"",
            "service-failure|--plan|x|--faults|kill|unknown option(s) [--faults, kill] (the embedded drill's options "
                    + "need --embedded)"})
    void badInputIsAUsageErrorBeforeAnyConnection(String spec) {
        List<String> parts = new ArrayList<>(List.of(spec.split("\\|")));
        String message = parts.remove(parts.size() - 1);
        List<String> args = new ArrayList<>(List.of("drill"));
        args.addAll(parts);
        // Nothing listens on port 1: a check made after connecting would answer "cannot reach Temporal" (6).
        args.addAll(List.of("--address", "127.0.0.1:1"));
        RomaDrCommandTest.Run run = RomaDrCommandTest.raw(args.toArray(String[]::new));
        if (message.equals("-")) {
            // git-loss's delete is one of its faults: past the checks, so the unreachable server answers.
            assertEquals(ExitCodes.ERROR, run.exit(), run::toString);
            assertTrue(run.err().startsWith("roma-dr: cannot reach Temporal at 127.0.0.1:1"), run::err);
            return;
        }
        assertEquals(ExitCodes.USAGE, run.exit(), run::toString);
        assertEquals("roma-dr: " + message, run.err().strip());
    }

    @Test
    void helpSaysTheDrillRunsOnTheServerAndNamesEveryOption() {
        RomaDrCommandTest.Run help = RomaDrCommandTest.raw("drill", "--help");
        assertEquals(0, help.exit(), help::toString);
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Ctrl-C (or --detach) stops only the following, not the drill"), help::out);
        for (String option : List.of("--plan", "--fault", "--objective", "--coordinator", "--operator",
                "--observer", "--manager", "--rto", "--sign-off-timeout", "--id", "--detach", "--alerting",
                "--alert-timeout", "--embedded",
                "--address", "--namespace", "--task-queue")) {
            assertTrue(help.out().contains(option), () -> option + " missing in\n" + help.out());
        }
    }

    private static long count(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }
}
