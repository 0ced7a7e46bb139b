package io.romadr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.report.Outcome;
import io.romadr.scenario.security.SecurityIncidentRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /** The running test server and its worker (between startTemporal and stopTemporal). */
    static TestTemporal temporal() {
        return temporal;
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

    /** A command running in the background whose output can be read while it runs. */
    record Background(StringWriter out, StringWriter err, CompletableFuture<Run> run) {
        /** Waits until stderr says {@code text}; fails with what was printed when it does not within 20 s. */
        void awaitErr(String text) throws InterruptedException {
            Instant deadline = Instant.now().plusSeconds(20);
            while (!err.toString().contains(text)) {
                if (Instant.now().isAfter(deadline) || run.isDone()) {
                    fail("never printed \"" + text + "\"; out:\n" + out + "\nerr:\n" + err);
                }
                Thread.sleep(50);
            }
        }

        Run result() throws Exception {
            return run.get(30, TimeUnit.SECONDS);
        }
    }

    static Background background(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--address", temporal.address(), "--task-queue", TestTemporal.TASK_QUEUE));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> {
            CommandLine cl = new CommandLine(new RomaDrCommand());
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(all.toArray(String[]::new));
            return new Run(exit, out.toString(), err.toString());
        });
        return new Background(out, err, run);
    }

    @Test
    void recoverSiteWaitPrintsEachPhaseAndThePhaseTableAndExitsZero() {
        Run run = cli("recover", "site", "--plan", "site", "--reason", "drill", "--wait");
        assertEquals(0, run.exit(), run::toString);
        String firstLine = run.out().lines().findFirst().orElseThrow();
        assertTrue(firstLine.equals("roma-dr-site-loss-site"), firstLine);
        assertTrue(run.out().contains("## Site recovery (Scenario 3): site\n"), run::out);
        for (String line : List.of("- **Outcome:** RECOVERED", "- **Provider:** docker", "- **Reason:** drill",
                "- **Server:** roma-recovery (id srv-" + firstLine + ") at 10.9.9.9, running",
                "| Phase | Budget | Started | Took | Over budget? |",
                "- **Secrets:** " + secretsKeyOf(run.out()) + " into /srv/roma/.env; variables: API_TOKEN, DB_URL",
                "- **Source:** git remote backup at " + "c0ffee".repeat(6) + "abcd, 12 file(s)",
                "- **DNS:** site.example.internal. A 60 10.0.0.1 → site.example.internal. A 60 10.9.9.9")) {
            assertTrue(run.out().lines().anyMatch(line::equals), () -> "missing " + line + " in\n" + run.out());
        }
        List<String> budgets = List.of("0–30 min", "30–45 min", "45–60 min", "60–75 min", "75–90 min");
        List<String> phases = List.of("provision", "install", "restore-application", "restore-data",
                "verify-and-cutover");
        for (int i = 0; i < phases.size(); i++) {
            String phase = phases.get(i);
            String budget = budgets.get(i);
            assertTrue(
                    Pattern.compile("(?m)^\\| " + phase + " \\| " + budget + " \\| \\+\\d\\d:\\d\\d \\| \\d\\d:\\d\\d "
                            + "\\| no \\|$").matcher(run.out()).find(),
                    () -> phase + " row missing in\n" + run.out());
            assertEquals(1, run.errLines().stream().filter(l -> l.matches("phase " + phase
                    + " done in \\d\\d:\\d\\d \\(budget " + budget + "\\)")).count(), run::err);
        }
        assertTrue(run.out().contains("Site restored on docker roma-recovery (srv-" + firstLine + ") at 10.9.9.9"),
                run::out);

        Run report = cli("report", firstLine);
        assertEquals(0, report.exit(), report::toString);
        assertTrue(report.out().contains("- **Outcome:** RECOVERED\n"), report::out);

        Run aws = cli("recover", "site", "--plan", "site-aws", "--provider", "aws", "--wait");
        assertEquals(0, aws.exit(), aws::toString);
        assertTrue(aws.out().contains("- **Provider:** aws\n"), aws::out);
    }

    private static String secretsKeyOf(String out) {
        return out.lines().filter(l -> l.contains("| secrets |")).map(l -> l.replaceAll(".* from (\\S+) into .*", "$1"))
                .findFirst().orElse("(no secrets step)");
    }

    @Test
    void aProviderOtherThanDockerOrAwsIsAUsageErrorAndStartsNothing() {
        String id = "roma-dr-site-loss-site-ftp";
        Run run = cli("recover", "site", "--plan", "site-ftp", "--provider", "ftp");
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--provider"), run::err);
        assertTrue(run.err().contains("docker, aws"), run::err);
        assertEquals("", run.out());
        assertEquals(4, cli("report", id).exit(), "a workflow was started");
    }

    @Test
    void aCutoverWaitsForApproveWhichWorksOnTheSiteWorkflow() throws Exception {
        String id = "roma-dr-site-loss-site-approve";
        Background recover = background("recover", "site", "--plan", "site-approve", "--wait");
        recover.awaitErr("waiting for approval: Point site-approve.example.internal at 10.9.9.9 (roma-recovery)?");
        // The command prints the question and the way to answer it as two lines: wait for the second too.
        recover.awaitErr("  approve: roma-dr approve " + id);
        io.romadr.scenario.siteloss.DnsValue waiting = FakeSiteActivities.RECORDS.get("site-approve.example.internal");
        assertTrue(waiting == null || waiting.values().equals(List.of("10.0.0.1")), "DNS moved before the approval");

        Run approve = cli("approve", id, "--as", "alice", "--reason", "new site checked");
        assertEquals(0, approve.exit(), approve::toString);
        assertEquals("approved dns-cutover by alice", approve.out().strip());

        Run run = recover.result();
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("- **Approval:** approved by alice (new site checked) — Point "
                + "site-approve.example.internal at 10.9.9.9 (roma-recovery)?\n"), run::out);
        assertEquals(1, run.errLines().stream().filter(l -> l.startsWith("waiting for approval:")).count(), run::err);
        assertEquals(List.of("10.9.9.9"), FakeSiteActivities.RECORDS.get("site-approve.example.internal").values());

        // The workflow has ended: nothing to send the update to.
        Run again = cli("approve", id, "--as", "alice");
        assertEquals(4, again.exit(), again::toString);
        assertEquals(List.of("roma-dr: no running workflow " + id), again.errLines());
    }

    @Test
    void aFailedSiteRecoveryExitsOneAndPrintsItsCompensation() {
        String id = "roma-dr-site-loss-site-broken";
        Run run = cli("recover", "site", "--plan", "site-broken", "--wait");
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains("- **Outcome:** FAILED\n"), run::out);
        assertTrue(run.out().contains("\n### Compensation\n- server docker roma-recovery (srv-" + id
                + ") at 10.9.9.9 terminated\n"),
                run::out);
        assertTrue(run.out().contains("| restore-data | 60–75 min | — | — | not reached |"), run::out);
        assertTrue(run.out().contains("- **DNS:** not changed\n"), run::out);
        assertTrue(run.errLines().stream().anyMatch(l -> l.matches("phase provision done in \\d\\d:\\d\\d "
                + "\\(budget 0–30 min\\)")), run::err);
        assertTrue(run.errLines().stream().anyMatch(l -> l.matches("phase restore-application FAILED after "
                + "\\d\\d:\\d\\d \\(budget 45–60 min\\)")), run::err);
        assertTrue(run.errLines().stream().noneMatch(l -> l.startsWith("phase restore-data")), run::err);
        assertTrue(FakeSiteActivities.SERVERS.values().stream().noneMatch(s -> s.id().equals("srv-" + id)),
                FakeSiteActivities.SERVERS::toString);

        // Later, the same report from the closed workflow (its failure carries it).
        Run report = cli("report", id);
        assertEquals(1, report.exit(), report::toString);
        assertTrue(report.out().startsWith("## Site recovery (Scenario 3): site-broken\n"), report::out);
        assertTrue(report.out().contains("\n### Compensation\n- server docker roma-recovery (srv-" + id
                + ") at 10.9.9.9 terminated\n"), report::out);
        Run json = cli("report", id, "--format", "json");
        assertEquals(1, json.exit(), json::toString);
        assertTrue(json.out().contains("\"outcome\" : \"FAILED\""), json::out);
    }

    @Test
    void keepForForensicsAtTheStartSparesTheServer() {
        String id = "roma-dr-site-loss-site-broken-kept";
        Run run = cli("recover", "site", "--plan", "site-broken-kept", "--keep-for-forensics", "--wait");
        assertEquals(1, run.exit(), run::toString);
        assertEquals(id, run.out().lines().findFirst().orElseThrow());
        String who = "cli:" + System.getProperty("user.name");
        assertTrue(run.out().contains("- **Kept for forensics:** requested at start by " + who + "\n"), run::out);
        assertTrue(run.out().contains("\n### Compensation\n- server docker roma-recovery (srv-" + id
                + ") at 10.9.9.9 KEPT for "
                + "forensics (requested at start by " + who + "); terminate it when done\n"), run::out);
        assertTrue(FakeSiteActivities.SERVERS.values().stream().anyMatch(s -> s.id().equals("srv-" + id)),
                FakeSiteActivities.SERVERS::toString);
    }

    @Test
    void statusFollowsASiteRecoveryWithTheCommonProgressLineAndItsResult() throws Exception {
        FakeSiteActivities.RELEASE = new CountDownLatch(1);
        String id = "roma-dr-site-loss-site-slow-status";
        Background recover = background("recover", "site", "--plan", "site-slow-status",
                "--wait");
        recover.awaitErr("phase provision done in ");
        Run once = cli("status", id, "--once");
        assertEquals(0, once.exit(), once::toString);
        assertTrue(once.out().contains("step=bootstrap: install"), once::out);
        // The site-loss RTO (90 min), not Scenario 1's.
        assertTrue(once.out().contains("rto-left=1:29:"), once::out);
        FakeSiteActivities.RELEASE.countDown();
        assertEquals(0, recover.result().exit());
        Run done = cli("status", id);
        assertEquals(0, done.exit(), done::toString);
        assertTrue(done.out().strip().matches("RECOVERED " + id + " in \\d\\d:\\d\\d: Site restored on .*"),
                done::out);
    }

    @Test
    void aCancelledSiteRecoveryExitsOneAfterItsCompensation() throws Exception {
        FakeSiteActivities.RELEASE = new CountDownLatch(1);
        String id = "roma-dr-site-loss-site-slow-cancelled";
        Background recover = background("recover", "site", "--plan", "site-slow-cancelled",
                "--wait");
        recover.awaitErr("phase provision done in ");
        temporal.client.newUntypedWorkflowStub(id).cancel();
        Run run = recover.result();
        FakeSiteActivities.RELEASE.countDown();
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.errLines().contains("roma-dr: site recovery " + id + " was cancelled (its compensation ran); "
                + "see it in the Temporal Web UI"), run::err);
        assertTrue(FakeSiteActivities.SERVERS.values().stream().noneMatch(s -> s.id().equals("srv-" + id)),
                FakeSiteActivities.SERVERS::toString);
    }

    @Test
    void keepNeedsAReason() {
        Run run = raw("keep", "some-workflow");
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("--reason"), run::err);
        Run blank = cli("keep", "some-workflow", "--reason", " ");
        assertEquals(2, blank.exit(), blank::toString);
        assertEquals(List.of("roma-dr: --reason must say why the server is kept (it goes in the report)"),
                blank.errLines());
    }

    @Test
    void keepForForensicsSparesTheServerOfAFailedRecovery() throws Exception {
        FakeSiteActivities.RELEASE = new CountDownLatch(1);
        String id = "roma-dr-site-loss-site-slow-broken";
        Background recover = background("recover", "site", "--plan", "site-slow-broken",
                "--wait");
        // Provisioning is done and the install command is held: the server exists, the recovery still runs.
        recover.awaitErr("phase provision done in ");

        Run keep = cli("keep", id, "--as", "bob", "--reason", "disk image for the post-mortem");
        assertEquals(0, keep.exit(), keep::toString);
        assertEquals("the server of " + id + " will be kept if the recovery fails (bob: disk image for the "
                + "post-mortem)", keep.out().strip());
        // The workflow's validator refuses an approval nothing waits for: one line, exit 1.
        Run approve = cli("approve", id, "--as", "alice");
        assertEquals(1, approve.exit(), approve::toString);
        assertEquals(List.of("refused by " + id + ": nothing is waiting for approval in this workflow"),
                approve.errLines());
        FakeSiteActivities.RELEASE.countDown();

        Run run = recover.result();
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains("- **Kept for forensics:** bob: disk image for the post-mortem\n"), run::out);
        assertTrue(run.out().contains("\n### Compensation\n- server docker roma-recovery (srv-" + id
                + ") at 10.9.9.9 KEPT for "
                + "forensics (bob: disk image for the post-mortem); terminate it when done\n"), run::out);
        assertTrue(FakeSiteActivities.SERVERS.values().stream().anyMatch(s -> s.id().equals("srv-" + id)),
                FakeSiteActivities.SERVERS::toString);

        Run late = cli("keep", id, "--as", "bob", "--reason", "again");
        assertEquals(4, late.exit(), late::toString);
        assertEquals(List.of("roma-dr: no running workflow " + id), late.errLines());
    }

    @Test
    void recoverWaitPrintsTheReportWithStepTimingsAndExitsZero() {
        Run run = cli("recover", "service", "--plan", "p", "--reason", "drill", "--wait");
        assertEquals(0, run.exit(), run::toString);
        String firstLine = run.out().lines().findFirst().orElseThrow();
        assertTrue(firstLine.equals("roma-dr-service-failure-p"), firstLine);
        assertTrue(run.out().contains("## Recovery report: service-failure / plan p"), run::out);
        assertTrue(run.out().contains("- **Reason:** drill"), run::out);
        assertTrue(run.out().contains("- **Outcome:** RECOVERED"), run::out);
        assertTrue(run.out().contains("| Time | Action | Result | Round | Duration | Attempts |"), run::out);
        assertTrue(run.out().contains("**Scenario:** Service restart (Scenario 1)"), run::out);
        assertTrue(run.out().contains("- **Success:** Yes\n"), run::out);
        for (String step : List.of("load-plan", "assess", "restart", "wait-healthy", "verify")) {
            assertTrue(Pattern
                    .compile("(?m)^\\| \\d\\d:\\d\\d \\| " + step + " \\| Success[^|]* \\| \\d \\| \\d+\\.\\ds \\| ")
                    .matcher(run.out()).find(), () -> step + " missing in\n" + run.out());
        }
        assertTrue(run.out().contains("Recovered by restart"), run::out);
    }

    @Test
    void aRecoveryThatFailsExitsOne() {
        String id = "roma-dr-service-failure-broken"; // every recover start uses the plan's canonical id
        Run run = cli("recover", "service", "--plan", "broken", "--wait");
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.out().contains("- **Outcome:** FAILED"), run::out);
        assertTrue(run.out().contains("| recreate |"), run::out);
        // It is a FAILED execution (red in the Web UI); report and status read its report from the failure.
        assertEquals(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                temporal.client.fetchHistory(id).getLastEvent().getEventType());
        Run report = cli("report", id);
        assertEquals(1, report.exit(), report::toString);
        assertTrue(report.out().contains("- **Outcome:** FAILED"), report::out);
        Run json = cli("report", id, "--format", "json");
        assertEquals(1, json.exit(), json::toString);
        assertTrue(json.out().contains("\"outcome\" : \"FAILED\""), json::out);
        Run status = cli("status", id);
        assertEquals(1, status.exit(), status::toString);
        assertTrue(status.out().contains("FAILED"), status::out);
    }

    @Test
    void aRecoveryPastItsRtoExitsThree() {
        Run run = cli("recover", "service", "--plan", "late", "--wait");
        assertEquals(3, run.exit(), run::toString);
        assertTrue(run.out().contains("RTO BREACHED"), run::out);
        assertTrue(run.out().contains("| rto-breached |"), run::out);
    }

    @Test
    void detectedAtStartsTheRtoClockAtTheIncidentAndABadOneIsAUsageError() {
        Run bad = cli("recover", "service", "--plan", "p", "--detected-at", "an hour ago");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--detected-at: \"an hour ago\" is not an RFC 3339 time"), bad::toString);

        java.time.Instant detected = java.time.Instant.now().minus(java.time.Duration.ofHours(2));
        Run run = cli("recover", "service", "--plan", "p", "--detected-at", detected.toString(), "--wait");
        assertEquals(ExitCodes.RTO_BREACHED, run.exit(), "two hours since the detection spend the RTO: " + run);
        assertTrue(run.out().contains("- **RTO clock from:** "
                + io.romadr.report.ReportFormatter.time(detected.toEpochMilli()) + " (the incident's detection)"),
                run::out);
        assertTrue(run.out().contains("| Detected | " + io.romadr.report.ReportFormatter.time(detected.toEpochMilli())),
                run::out);
        assertTrue(run.out().contains(" (queue wait) |"), run::out);
    }

    @Test
    void reportAsJsonParsesBackAndAsMarkdown() throws Exception {
        String id = "roma-dr-service-failure-p";
        assertEquals(0, cli("recover", "service", "--plan", "p", "--wait").exit());

        Run json = cli("report", id, "--format", "json");
        assertEquals(0, json.exit(), json::toString);
        ServiceRecoveryReport report = new ObjectMapper().readValue(json.out(), ServiceRecoveryReport.class);
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
    void aSecondStartAttachesAndAnotherScenarioOfThePlanIsRefusedWithTheRunningId() throws Exception {
        FakeActivities.RELEASE = new CountDownLatch(1);
        String id = "roma-dr-service-failure-slow-attach";
        Run first = cli("recover", "service", "--plan", "slow-attach", "--reason", "first look");
        assertEquals(0, first.exit(), first::toString);
        assertEquals(id, first.out().strip());
        assertTrue(first.err().contains("started ServiceRecoveryWorkflow for plan slow-attach"), first::err);

        Run second = cli("recover", "service", "--plan", "slow-attach", "--reason", "second look");
        assertEquals(0, second.exit(), second::toString);
        assertEquals(id, second.out().strip());
        assertTrue(second.err().contains("attached to running recovery " + id), second::err);

        for (String scenario : List.of("data", "git", "site")) {
            Run refused = cli("recover", scenario, "--plan", "slow-attach", "--reason", "also " + scenario);
            assertEquals(ExitCodes.CONFLICT, refused.exit(), refused::toString);
            assertEquals("", refused.out());
            assertEquals(1, refused.errLines().size(), refused::err);
            assertTrue(refused.err().contains("a service-failure recovery of the same plan is running: " + id),
                    refused::err);
            assertEquals(4, cli("report", "roma-dr-" + Map.of("data", "data-corruption", "git", "git-loss", "site",
                    "site-loss").get(scenario) + "-slow-attach").exit(), "refused, yet started");
        }

        Background waiter = background("recover", "service", "--plan", "slow-attach", "--wait");
        waiter.awaitErr("attached to running recovery " + id);
        var stub = temporal.client.newWorkflowStub(io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow.class, id);
        List<String> triggers = List.of();
        for (int i = 0; i < 100 && triggers.size() < 3; i++) {
            triggers = stub.progress().timeline().stream().filter(s -> s.step().equals("trigger-requested"))
                    .map(io.romadr.report.StepRecord::detail).toList();
            Thread.sleep(100);
        }
        assertEquals(3, triggers.size(), triggers::toString);
        assertTrue(triggers.get(0).startsWith("cli (by cli:") && triggers.get(0).endsWith(": first look"),
                triggers::toString);
        assertTrue(triggers.get(1).endsWith(": second look"), triggers::toString);

        FakeActivities.RELEASE.countDown();
        Run waited = waiter.result();
        assertEquals(0, waited.exit(), waited::toString);
        assertTrue(waited.out().contains("- **Outcome:** RECOVERED"), waited::out);
    }

    @Test
    void aPlanWithConcurrentScenariosLetsAnotherScenarioStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        FakeActivities.RELEASE = new CountDownLatch(1);
        String seed = java.nio.file.Files.readString(java.nio.file.Path.of("../deploy/plans/roma.yaml"));
        java.nio.file.Files.writeString(dir.resolve("slow-both.yaml"), seed.replaceFirst("(?m)^name: roma$",
                "name: slow-both").replaceFirst("(?m)^recovery:$", "recovery:\n  concurrentScenarios: true"));
        assertEquals(0, cli("recover", "service", "--plan", "slow-both").exit());
        Run data = cli("recover", "data", "--plan", "slow-both", "--plans", dir.toString());
        assertEquals(0, data.exit(), data::toString);
        assertEquals("roma-dr-data-corruption-slow-both", data.out().strip());
        Run without = cli("recover", "git", "--plan", "slow-both");
        assertEquals(ExitCodes.CONFLICT, without.exit(), "without the plan the default (one at a time) holds");
        temporal.client.newUntypedWorkflowStub("roma-dr-data-corruption-slow-both").terminate("test over");
        FakeActivities.RELEASE.countDown();
    }

    @Test
    void recoverSecurityIncidentPassesItsOptionsAndRefusesAnUnknownContainMode() {
        Run bad = cli("recover", "security-incident", "--plan", "sec", "--contain", "sideways");
        assertEquals(ExitCodes.USAGE, bad.exit(), bad::toString);
        assertTrue(bad.err().contains("--contain must be one of [stop, disconnect], got \"sideways\""), bad::err);
        assertEquals("", bad.out());

        Run run = cli("recover", "security-incident", "--plan", "sec", "--service", "roma", "--contain",
                "disconnect", "--known-good-commit", "c0ffee", "--reason", "IDS alert");
        assertEquals(0, run.exit(), run::toString);
        String id = run.out().strip();
        assertEquals("roma-dr-security-incident-sec", id);
        io.temporal.api.common.v1.Payloads input = temporal.client.fetchHistory(id).getEvents().get(0)
                .getWorkflowExecutionStartedEventAttributes().getInput();
        SecurityIncidentRequest request = temporal.client.getOptions().getDataConverter().fromPayloads(0,
                java.util.Optional.of(input), SecurityIncidentRequest.class, SecurityIncidentRequest.class);
        assertEquals(List.of("roma"), request.services());
        assertEquals("disconnect", request.contain());
        assertEquals("c0ffee", request.knownGoodCommit());
        assertEquals("IDS alert", request.reason());
        temporal.client.newUntypedWorkflowStub(id).terminate("test over");
    }

    @Test
    void helpAndAMissingCommandNameDrillAndWorker() {
        Run help = raw("--help");
        assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith("drill ")), help::out);
        assertTrue(help.out().lines().anyMatch(l -> l.strip().startsWith("worker ")), help::out);
        Run none = raw();
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("keep, drill or worker"), none::err);
        Run drill = raw("drill", "service-failure", "--embedded");
        assertEquals(2, drill.exit(), drill::toString);
        assertTrue(drill.err().contains("runs from drills/target/roma-dr-drills.jar"), drill::err);
        for (String scenario : List.of("service", "data", "git", "site", "security-incident")) {
            Run h = raw("recover", scenario, "--help");
            assertTrue(h.out().contains("--reason=TEXT"), () -> scenario + ":\n" + h.out());
            assertTrue(h.out().contains("--wait"), h::out);
            assertFalse(h.out().contains("--workflow-id"), h::out);
        }
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
        String id = "roma-dr-service-failure-slow";
        Run start = cli("recover", "service", "--plan", "slow");
        assertEquals(0, start.exit(), start::toString);
        assertEquals(id, start.out().strip());
        assertTrue(start.err().contains("roma-dr status " + id), start::err);

        Pattern line = Pattern
                .compile("\\[\\d\\d:\\d\\d] step=wait-healthy round=1 queued=\\d\\d:\\d\\d rto-left=\\d\\d:\\d\\d");
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
        String id = "roma-dr-service-failure-slow-terminated";
        assertEquals(0, cli("recover", "service", "--plan", "slow-terminated").exit());
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
    @ValueSource(strings = {"", "recover", "recover service", "recover site", "status", "report", "approve", "keep",
            "drills list", "drills note", "drills action", "drills sign-off"})
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
        assertEquals(2, raw("recover", "site").exit());
    }
}
