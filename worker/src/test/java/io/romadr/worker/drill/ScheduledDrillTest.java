package io.romadr.worker.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.drill.DockerDrillActivities;
import io.romadr.activities.drill.DrillReportStore;
import io.romadr.activities.drill.SiteFaults;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.site.DnsProviders;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.BackupStore;
import io.romadr.report.ReportFormatter;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReportFormatter;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.site.SiteFixture;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleHandle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FileUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * A drill as the team runs it: the plan's {@code drills:} calendar applied with {@code roma-dr schedules apply} on the
 * real Temporal dev server, the drill's Schedule triggered now, the DrillWorkflow it starts run by a worker with the
 * production wiring against a real target, a note, an action item and the three sign-offs sent through {@code roma-dr
 * drills note|action|sign-off}; then the report, field by field against the seed's "Drill Report Template" as
 * {@link DrillReportFormatter} writes it. One method per scenario sets up its target ({@link DrillTarget}), taking
 * the backups its recovery restores from first; the rest is the same for every scenario. Scenarios 1, 2 and 4 run on
 * one worker with the production wiring; Scenario 3 on a worker of its own (see {@link #siteWorker}).
 */
@org.junit.jupiter.api.Tag("integration")
class ScheduledDrillTest {
    static final Path ROOT = Path.of("target", "scheduled-drill-test");
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(3);
    /** The template's headings, in its order (roma-dr's own sections come after them). */
    static final List<String> TEMPLATE_SECTIONS = List.of("Results", "Timeline", "Issues Encountered",
            "Action Items", "Sign-Off");

    /** Scenario 2's artifacts: the drill's {@code truncate} breaks three of them. */
    static final int ARTIFACTS = 5;

    static EmbeddedStack stack;
    static DockerClient docker;
    static Path plans;
    /** The worker with the production wiring, for the plans in {@link #plans}. */
    static DrillWorker production;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = EmbeddedStack.onDevServer("roma-dr-scheduled-drill-" + UUID.randomUUID().toString().substring(0, 8),
                ROOT);
        plans = Files.createDirectories(ROOT.resolve("plans-" + UUID.randomUUID().toString().substring(0, 8)));
        stack.startWorker(plans, docker);
        production = new DrillWorker(stack.taskQueue(), plans);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * A scenario's drill target: its plan (without the {@code drills:} section, which the test adds), the calendar
     * entry's fault and RTO target, the checks only that scenario can make of the report, and what the people do
     * while the drill runs besides the notes and sign-offs (given the drill's workflow id; e.g. approve the recovery).
     */
    record DrillTarget(String planYaml, String fault, Duration rtoTarget, Consumer<DrillReport> scenarioChecks,
            Consumer<String> whileRunning) {
        DrillTarget(String planYaml, String fault, Duration rtoTarget, Consumer<DrillReport> scenarioChecks) {
            this(planYaml, fault, rtoTarget, scenarioChecks, drillId -> {
            });
        }
    }

    /** A worker on the dev server: its task queue (the Schedules' and the CLI's) and its plans directory. */
    record DrillWorker(String taskQueue, Path plans) {
        CliRun cli(String... args) {
            return CliRun.of(stack.address(), taskQueue, args);
        }

        void ok(String... args) {
            CliRun run = cli(args);
            assertEquals(0, run.exit(), run::toString);
        }
    }

    // ---- one method per scenario ------------------------------------------------------------------------------------

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void serviceFailureDrillFromItsSchedule() throws Exception {
        String plan = "sched-s1-" + UUID.randomUUID().toString().substring(0, 8);
        drillFromSchedule(production, plan, "service-failure", serviceFailure(plan));
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

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void dataCorruptionDrillFromItsSchedule() throws Exception {
        String plan = "sched-s2-" + UUID.randomUUID().toString().substring(0, 8);
        drillFromSchedule(production, plan, "data-corruption", dataCorruption(plan));
    }

    /**
     * Scenario 2: five JSON artifacts in a sandbox container's bind mount, backed up to a local store before the
     * drill; three truncated; the recovery restores them from the backup byte for byte. The drill keeps its report in
     * the same store.
     */
    private static DrillTarget dataCorruption(String plan) throws Exception {
        String project = "romadr-" + plan;
        Path dir = Files.createDirectories(ROOT.resolve(plan)).toAbsolutePath();
        Path out = Files.createDirectories(dir.resolve("out"));
        Path store = Files.createDirectories(dir.resolve("store"));
        Map<String, byte[]> original = new LinkedHashMap<>();
        for (int i = 0; i < ARTIFACTS; i++) {
            byte[] content = ("{\"id\": " + i + ", \"ok\": true}\n").getBytes(StandardCharsets.UTF_8);
            Files.write(out.resolve("run-" + i + ".json"), content);
            original.put("run-" + i + ".json", content);
        }
        Files.createDirectories(plans.resolve("schemas"));
        Files.writeString(plans.resolve("schemas/run.json"), """
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "required": ["id", "ok"], "properties": {"id": {"type": "integer"}, "ok": {"type": "boolean"}}}
                """);
        String yaml = """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, exec: { service: app, command: [true] } }]
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 1s }
                backup:
                  store: { uri: "%s" }
                  artifacts:
                    service: app
                    path: /data/out
                    include: ["*.json"]
                    recovery: { schema: schemas/run.json, restore: corrupted }
                """.formatted(plan, project, store.toUri());
        Files.writeString(plans.resolve(plan + ".yaml"), yaml);
        stack.sandbox(docker, project, "app", Map.of("/data/out", out), Map.of());
        // The backup the recovery restores from, taken as the team takes one.
        CliRun backup = stack.cli("backup", "artifacts", "--plan", plan, "--wait");
        assertEquals(0, backup.exit(), backup::toString);

        return new DrillTarget(yaml, "truncate", Duration.ofMinutes(10), r -> {
            assertTrue(row(r, "inject-fault").result().startsWith("Success: truncated 3 of " + ARTIFACTS
                    + " artifacts in artifacts app:/data/out [*.json]: "), row(r, "inject-fault").result());
            assertTrue(r.stateBefore().contains("artifacts app:/data/out [*.json]: " + ARTIFACTS + " file(s), "
                    + original.values().stream().mapToInt(b -> b.length).sum() + " bytes, all valid"),
                    r.stateBefore().toString());
            assertTrue(row(r, "verify-recovered").result().contains(ARTIFACTS + " of " + ARTIFACTS
                    + " artifacts identical to before the fault"), row(r, "verify-recovered").result());
            // Restored byte for byte, as the host sees the bind mount.
            original.forEach((name, bytes) -> assertEquals(new String(bytes, StandardCharsets.UTF_8),
                    read(out.resolve(name)), name));
            // The drill's report kept in the plan's store, in the three formats.
            Path reports = store.resolve("drills").resolve(plan);
            List<String> files = listed(reports);
            assertEquals(3, files.size(), files.toString());
            String prefix = files.get(0).substring(0, files.get(0).lastIndexOf('.'));
            assertTrue(prefix.startsWith(LocalDate.ofInstant(Instant.ofEpochMilli(r.startedAt()), ZoneOffset.UTC)
                    + "-data-corruption-drill-data-corruption-" + plan), files.toString());
            assertEquals(List.of(prefix + ".html", prefix + ".json", prefix + ".md"), files);
            assertTrue(read(reports.resolve(prefix + ".md")).contains("- **Success:** Yes"), prefix + ".md");
        });
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void gitLossDrillFromItsSchedule() throws Exception {
        String plan = "sched-s4-" + UUID.randomUUID().toString().substring(0, 8);
        drillFromSchedule(production, plan, "git-loss", gitLoss(plan));
    }

    /**
     * Scenario 4: bare repositories on disk as the primary and the backup remote, mirrored before the drill; main
     * force-pushed back to its root commit; the recovery (approved by the operator through {@code roma-dr approve})
     * restores the primary from the backup, every ref as before.
     */
    private static DrillTarget gitLoss(String plan) throws Exception {
        Path dir = Files.createDirectories(ROOT.resolve(plan)).toAbsolutePath();
        Path primary = dir.resolve("primary.git");
        Path backupRemote = dir.resolve("backup.git");
        Map<String, String> refsBefore = history(primary, backupRemote, dir.resolve("dev"));
        stack.closeLater(() -> deleteTree(RomaWorker.gitCache().resolve(plan + ".git")));
        String yaml = """
                name: %s
                service:
                  composeProject: romadr-%s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                    recovery: { approvalTimeout: 5m, rto: 4h }
                """.formatted(plan, plan, Files.createDirectories(dir.resolve("store")).toUri(), primary,
                backupRemote);
        Files.writeString(plans.resolve(plan + ".yaml"), yaml);
        CliRun mirrored = stack.cli("backup", "git", "--plan", plan, "--wait");
        assertEquals(0, mirrored.exit(), mirrored::toString);
        assertEquals(refsBefore, refs(backupRemote), "the mirror before the drill");

        return new DrillTarget(yaml, "force-push", Duration.ofMinutes(10), r -> {
            assertTrue(row(r, "inject-fault").result().startsWith("Success: force-pushed refs/heads/main of origin"),
                    row(r, "inject-fault").result());
            assertTrue(r.stateBefore().contains("git origin refs recorded to compare after the recovery: "
                    + refsBefore.size()), r.stateBefore().toString());
            // The operator's approval is a row of the drill's timeline, in its recovery phase.
            assertEquals("Success: approved by olga: drill", row(r, "approval").result());
            assertEquals("recovery", row(r, "approval").phase());
            // Every ref back where it was before the fault.
            assertEquals(refsBefore, refs(primary));
        }, drillId -> {
            // The recovery's force-update of the primary waits for the operator: approved as they would.
            CliRun approved = EmbeddedStack.eventually(Duration.ofSeconds(90), () -> {
                CliRun a = stack.cli("approve", drillId + "-recovery", "--as", "olga", "--reason", "drill");
                return a.exit() == 0 ? a : null;
            }, () -> "the git recovery of " + drillId + " asked for no approval");
            assertTrue(approved.out().contains("approved restore-primary by olga"), approved::toString);
        });
    }

    /** A primary with a history on main, a release branch and two tags; an empty backup. Returns the primary's refs. */
    private static Map<String, String> history(Path primary, Path backup, Path dev) throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(primary.toFile()).call().close();
        Git.init().setBare(true).setInitialBranch("main").setDirectory(backup.toFile()).call().close();
        PersonIdent who = new PersonIdent("dev", "dev@example.invalid");
        try (Git git = Git.init().setInitialBranch("main").setDirectory(dev.toFile()).call()) {
            for (int i = 1; i <= 6; i++) {
                Files.writeString(dev.resolve("file-" + (i % 3) + ".txt"), "change " + i + "\n");
                git.add().addFilepattern(".").call();
                git.commit().setMessage("change " + i).setAuthor(who).setCommitter(who).call();
                if (i == 3) {
                    git.tag().setName("v1").setAnnotated(true).setMessage("release 1").setTagger(who).call();
                    git.branchCreate().setName("release-1").call();
                }
            }
            git.tag().setName("v2").call();
            git.push().setRemote(primary.toUri().toString()).setRefSpecs(new RefSpec("refs/heads/*:refs/heads/*"),
                    new RefSpec("refs/tags/*:refs/tags/*")).call();
        }
        return refs(primary);
    }

    /** Every ref of a repository on disk and the object it names. */
    private static Map<String, String> refs(Path repository) {
        try (Git git = Git.open(repository.toFile())) {
            Map<String, String> refs = new TreeMap<>();
            for (Ref ref : git.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_REFS)) {
                refs.put(ref.getName(), ref.getObjectId().name());
            }
            return refs;
        } catch (Exception e) {
            throw new AssertionError("cannot read the refs of " + repository + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> listed(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("(unreadable: " + e.getMessage() + ")");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY);
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void siteLossDrillFromItsSchedule(@TempDir Path dir) throws Exception {
        try (SiteFixture site = new SiteFixture(dir, docker, "sched-s3");
                RomaWorker worker = siteWorker(site)) {
            worker.start();
            DrillWorker onSite = new DrillWorker(siteQueue(site), site.plans);
            drillFromSchedule(onSite, site.plan, "site-loss", siteLoss(site, onSite));
        }
    }

    private static String siteQueue(SiteFixture site) {
        return stack.taskQueue() + "-" + site.plan;
    }

    /**
     * Scenario 3's worker: the site's secrets need the fixture's OpenBao token and gpg key, which the production
     * wiring reads from the environment, so the site has a worker of its own ({@link SiteFixture#activities}, the
     * production classes with the fixture's environment) on a task queue of its own on the same dev server.
     */
    private static RomaWorker siteWorker(SiteFixture site) {
        Function<BackupStore, ObjectStore> stores = spec -> {
            try {
                return ObjectStores.open(spec);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        DockerDrillActivities drill = new DockerDrillActivities(docker, null, null, new DrillReportStore(stores),
                List.of(new SiteFaults(docker, new DockerServiceActivities(docker, new HttpProbe(),
                        new HostCommandRunner()), (provider, spec) -> new DockerHostCompute(docker, site.sites),
                        new DnsProviders(AnonymousCredentialsProvider.create(), Duration.ofMinutes(1),
                                Duration.ofMillis(500)))));
        return new RomaWorker(stack.client(), siteQueue(site), site.activities().withDrill(drill));
    }

    /**
     * Scenario 3: a whole site on real systems ({@link SiteFixture}: a service with state, artifacts, a secret, its
     * source on git and image on a registry, a zone-file DNS record), every backup taken first; the site removed; the
     * recovery rebuilds it on a new server of the docker compute provider and moves DNS to it.
     */
    private static DrillTarget siteLoss(SiteFixture site, DrillWorker onSite) throws Exception {
        String yaml = site.writePlan("mkdir -p /srv/roma/tools && echo installed > /srv/roma/tools/marker", "");
        site.startOldSite();
        site.backUp(stack.address(), onSite.taskQueue());
        return new DrillTarget(yaml, "remove-site", Duration.ofMinutes(10), r -> {
            assertEquals("Success: removed " + site.project + "-app-1", row(r, "inject-fault").result());
            assertEquals(1, site.servers().size(), "one new server");
            String address = docker.inspectContainerCmd(site.servers().get(0).getId()).exec().getNetworkSettings()
                    .getNetworks().values().iterator().next().getIpAddress();
            assertEquals(List.of(address), site.record().values());
            assertTrue(row(r, "verify-recovered").result().contains("DNS " + SiteFixture.RECORD + " A: "
                    + address + " = the new server's address"), row(r, "verify-recovered").result());
        });
    }

    // ---- the same for every scenario --------------------------------------------------------------------------------

    private void drillFromSchedule(DrillWorker worker, String plan, String scenario, DrillTarget target)
            throws Exception {
        String objective = "Recover from " + target.fault() + " within " + target.rtoTarget().toMinutes() + "m";
        Files.writeString(worker.plans().resolve(plan + ".yaml"), target.planYaml() + """
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
        CliRun applied = worker.cli("schedules", "apply", "--plan", plan, "--plans", worker.plans().toString());
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
        target.whileRunning().accept(drillId);
        worker.ok("drills", "note", drillId, "--text", "nobody watched the dashboard", "--as", "oscar");
        worker.ok("drills", "action", drillId, "--text", "Put the dashboard on the wall screen", "--owner", "oscar",
                "--as", "olga");
        worker.ok("drills", "sign-off", drillId, "--role", "operator", "--as", "olga");
        worker.ok("drills", "sign-off", drillId, "--role", "observer", "--as", "oscar");
        worker.ok("drills", "sign-off", drillId, "--role", "manager", "--as", "mia", "--comment", "ok");

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
            CliRun l = worker.cli("drills", "list", "--plan", plan, "--plans", worker.plans().toString());
            assertEquals(0, l.exit(), l::toString);
            return l.out().contains(scenario + ": last drill " + drillId) ? l : null;
        }, () -> "drills list does not show " + drillId + ":\n" + worker.cli("drills", "list", "--plan", plan,
                "--plans", worker.plans().toString()));
        String line = listed.out().lines().filter(l -> l.startsWith(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + name + ":\n" + listed));
        // Signed off is read from the stored report: a plan without a backup store keeps none.
        String signedOff = target.planYaml().contains("store:") ? "yes" : "-";
        assertTrue(line.matches(Pattern.quote(name) + "\\s+0 10 1 \\* \\* UTC\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"
                + "\\s+Success: Yes\\s+\\S+ / " + target.rtoTarget().toMinutes() + "m\\s+" + signedOff
                + "\\s+\\d{4}-\\d\\d-01 10:00\\s+ok$"),
                listed::toString);

        // A finished drill takes no more notes.
        CliRun late = worker.cli("drills", "note", drillId, "--text", "too late", "--as", "oscar");
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
