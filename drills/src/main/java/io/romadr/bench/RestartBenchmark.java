package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.mean;
import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.romadr.activities.docker.HealthWatch;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.drill.DrillEnvironment;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import io.romadr.report.TriggerNotice;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.codec.PayloadKeys;
import io.romadr.worker.EmbeddedTemporal;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.SearchAttributesRegistrar;
import io.romadr.worker.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One recovery of the sandbox service (the killed {@code roma} container restarted, the service healthy again)
 * three ways, in one process, in alternating rounds: through roma-dr; through {@code bench/restart-baseline.sh}
 * ({@code docker restart} + polling the health URLs); and through {@code bench/seed-runbook-baseline.sh} (the seed's
 * Scenario 1 runbook as a script: assess with compose ps, docker info, df, compose logs; compose restart; wait
 * healthy; verify with the health URLs and the smoke check). One warm-up round of each is not counted.
 *
 * <p>Two times per run: <b>time to healthy</b>, from the start until both health URLs answer 200, observed from
 * outside by {@link HealthWatch} (overlapping probes every 10 ms), the same way for every side; and <b>time to
 * done</b>, until the side finishes: roma-dr's RECOVERED result (verified), the bare script's exit (it stops when
 * the service answers), the runbook script's exit (verified). Prints a markdown block to stdout, progress to stderr.
 *
 * <p>Run: {@code bench/restart-benchmark.sh 10}.
 */
public final class RestartBenchmark {
    static final String PLAN = "bench-restart";
    static final String TASK_QUEUE = "roma-dr-bench";
    static final String VICTIM = "roma";
    static final String POLL = "100ms";
    static final Duration WATCH_INTERVAL = Duration.ofMillis(10);
    /**
     * roma-dr twice: started as an alert webhook and {@code roma-dr recover} start it ({@link RecoveryStarter}, the
     * canonical ID), and as the Web UI starts it (an ID of its own, so the run first claims the plan:
     * {@code SingleRecoveryCheck}).
     */
    static final List<String> SIDES = List.of("roma-dr", "baseline (restart + poll)", "seed runbook script",
            "roma-dr, Web UI start");
    /** {@code --codec}: the same recovery through roma-dr with payloads in clear and encrypted (issue 17). */
    static final List<String> CODEC_SIDES = List.of("roma-dr, payloads in clear", "roma-dr, payloads encrypted");
    static final String ENCRYPTED_QUEUE = TASK_QUEUE + "-encrypted";

    private RestartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        Path baseline = Path.of("bench/restart-baseline.sh");
        Path runbook = Path.of("bench/seed-runbook-baseline.sh");
        boolean codec = false;
        String command = BenchmarkSupport.command(RestartBenchmark.class, args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--baseline" -> baseline = Path.of(args[++i]);
                case "--runbook" -> runbook = Path.of(args[++i]);
                case "--codec" -> codec = true;
                default -> {
                    System.err.println("usage: RestartBenchmark [--runs N] [--baseline bench/restart-baseline.sh]"
                            + " [--runbook bench/seed-runbook-baseline.sh] [--codec]");
                    System.exit(2);
                }
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        for (Path script : List.of(baseline, runbook)) {
            if (!Files.isExecutable(script)) {
                throw new IllegalArgumentException("baseline script not found or not executable: " + script);
            }
        }
        System.out.print(new RestartBenchmark().run(runs, baseline.toAbsolutePath(), runbook.toAbsolutePath(),
                command, codec));
        System.out.flush();
        System.exit(0); // the SDK's non-daemon threads must not keep the JVM alive
    }

    /** One run of one side: time to healthy (from outside), time to done, and the side's own parts. */
    private record Run(long healthyMillis, long doneMillis, Map<String, Long> parts, String detail) {
    }

    /** What one side's runs add up to. */
    static final class Results {
        final List<Long> healthy = new ArrayList<>();
        final List<Long> done = new ArrayList<>();
        final Map<String, List<Long>> parts = new LinkedHashMap<>();
        final List<String> details = new ArrayList<>();

        void add(Run r) {
            healthy.add(r.healthyMillis());
            done.add(r.doneMillis());
            r.parts().forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            if (!r.detail().isEmpty() && !details.contains(r.detail())) {
                details.add(r.detail());
            }
        }
    }

    private interface Side {
        /** Runs the recovery; the caller has killed the victim and times from just before this call. */
        Run recover(int round, long t0, Future<Long> healthyAt) throws Exception;
    }

    private String run(int runs, Path baseline, Path runbook, String command, boolean codec) throws Exception {
        List<String> sideNames = codec ? CODEC_SIDES : SIDES;
        DockerClient docker = DrillEnvironment.docker("benchmark");
        String dockerVersion = docker.versionCmd().exec().getVersion();
        String image = SandboxImage.ensure(docker);
        Path work = Files.createTempDirectory("roma-dr-bench-");
        Path plansDir = Files.createDirectories(work.resolve("plans"));
        String project = "romadr-bench-" + UUID.randomUUID().toString().substring(0, 6);

        Map<String, Results> results = new LinkedHashMap<>();
        sideNames.forEach(s -> results.put(s, new Results()));
        PayloadKeys keys = PayloadKeys.parse(PayloadKeys.generateLine("bench"), "generated for this benchmark");
        RecoveryPlan typical = null;
        List<String> baselineArgs = new ArrayList<>();
        List<String> runbookArgs = new ArrayList<>();
        ExecutorService watches = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-health-watch");
            t.setDaemon(true);
            return t;
        });
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
            SandboxService sandbox = SandboxService.create(docker, project, image, SandboxService.Options.defaults());
            try (TemporalConnection connection = new TemporalConnection(temporal.address(), "default")) {
                Files.writeString(plansDir.resolve(PLAN + ".yaml"),
                        sandbox.planYaml(PLAN, "15m", "30s", POLL, "10s", "0s", "1s"));
                typical = new PlanRepository(plansDir).load(PLAN);
                SearchAttributesRegistrar.ensure(connection.service(), "default");
                List<String> urls = new ArrayList<>();
                for (String s : sandbox.services()) {
                    urls.add(sandbox.healthUrl(s));
                }
                // The same recovery as the workflow's: it restarts only the broken container (the killed one) and
                // then waits for every health check of the plan, i.e. both services' URLs.
                baselineArgs.add(sandbox.containerName(VICTIM));
                baselineArgs.addAll(urls);
                Path composeFile = work.resolve("compose.yml");
                Files.writeString(composeFile, composeFile(sandbox, image));
                runbookArgs.addAll(List.of("--file", composeFile.toString(), "--project", project, "--service",
                        VICTIM, "--smoke", VICTIM, "cat", "/www/health", "--"));
                runbookArgs.addAll(urls);
                // --codec: a second client and worker on the same server, every payload encrypted
                WorkflowClient encrypted = codec
                        ? WorkflowClient.newInstance(connection.service(), RomaClientOptions.of("default", keys))
                        : null;
                try (RomaWorker worker = new RomaWorker(connection.client(), TASK_QUEUE,
                        new PlanRepository(plansDir), docker, NotificationSettings.NONE);
                        RomaWorker encryptedWorker = codec
                                ? new RomaWorker(encrypted, ENCRYPTED_QUEUE, new PlanRepository(plansDir), docker,
                                        NotificationSettings.NONE)
                                : null) {
                    worker.start();
                    if (encryptedWorker != null) {
                        encryptedWorker.start();
                    }
                    sandbox.awaitHealthy(Duration.ofSeconds(30));
                    Map<String, Side> sides = new LinkedHashMap<>();
                    if (codec) {
                        sides.put(CODEC_SIDES.get(0), (round, t0, healthyAt) -> romaOnce(connection.client(),
                                TASK_QUEUE, round, t0, healthyAt));
                        sides.put(CODEC_SIDES.get(1), (round, t0, healthyAt) -> romaOnce(encrypted, ENCRYPTED_QUEUE,
                                round, t0, healthyAt));
                    } else {
                        sides.put(SIDES.get(0), (round, t0, healthyAt) -> romaStarted(connection.client(),
                                TASK_QUEUE, round, t0, healthyAt));
                        sides.put(SIDES.get(3), (round, t0, healthyAt) -> romaOnce(connection.client(), TASK_QUEUE,
                                round, t0, healthyAt));
                        sides.put(SIDES.get(1), (round, t0, healthyAt) -> scriptOnce(baseline, baselineArgs, t0,
                                healthyAt));
                        sides.put(SIDES.get(2), (round, t0, healthyAt) -> scriptOnce(runbook, runbookArgs, t0,
                                healthyAt));
                    }
                    for (int round = 0; round <= runs; round++) { // round 0 is the warm-up
                        StringBuilder line = new StringBuilder(round == 0 ? "warmup " : "run    ").append(round);
                        // Each round starts with another side, so none always runs right after the same other.
                        for (int k = 0; k < sideNames.size(); k++) {
                            String name = sideNames.get((round + k) % sideNames.size());
                            killAndAwaitExited(sandbox, docker);
                            long t0 = System.nanoTime();
                            Future<Long> healthyAt = watches.submit(() -> HealthWatch.awaitAllOk(urls,
                                    WATCH_INTERVAL, Duration.ofSeconds(60)));
                            Run r = sides.get(name).recover(round, t0, healthyAt);
                            line.append(String.format(Locale.ROOT, "; %s healthy %d ms, done %d ms", name,
                                    r.healthyMillis(), r.doneMillis()));
                            if (round > 0) {
                                results.get(name).add(r);
                            }
                        }
                        System.err.println(line);
                    }
                }
            } finally {
                sandbox.destroy();
            }
        } finally {
            watches.shutdownNow();
            DrillEnvironment.deleteTree(work);
        }
        if (codec) {
            return CodecCost.markdown(runs, results.get(CODEC_SIDES.get(0)), results.get(CODEC_SIDES.get(1)), keys,
                    typical, dockerVersion, command);
        }
        return markdown(runs, results, baseline, baselineArgs, runbook, runbookArgs, dockerVersion, command);
    }

    /** A compose file naming the sandbox's services, so the runbook's compose commands find their containers. */
    private static String composeFile(SandboxService sandbox, String image) {
        StringBuilder y = new StringBuilder("version: \"3\"\nservices:\n");
        for (String s : sandbox.services()) {
            y.append("  ").append(s).append(":\n    image: \"").append(image).append("\"\n");
        }
        return y.toString();
    }

    private static long millisSince(long t0, long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - t0);
    }

    /**
     * The recovery as an alert or {@code roma-dr recover} starts it: through {@link RecoveryStarter} (its checks for
     * a running recovery of the plan, the start under the canonical ID, the trigger signal), then its result.
     */
    private Run romaStarted(WorkflowClient client, String taskQueue, int round, long t0, Future<Long> healthyAt)
            throws Exception {
        long wallT0 = System.currentTimeMillis() - millisSince(t0, System.nanoTime());
        String reason = "benchmark: " + VICTIM + " killed";
        RecoveryStarter.Outcome started = new RecoveryStarter(client, taskQueue).start(ServiceRecoveryWorkflow.SCENARIO,
                PLAN, RecoveryStarter.request(ServiceRecoveryWorkflow.SCENARIO, PLAN, "bench", reason),
                new TriggerNotice("cli", "bench", "", "requested", "", reason), false);
        if (started.action() != RecoveryStarter.Action.STARTED) {
            throw new IllegalStateException("round " + round + ": not started: " + started.describe());
        }
        ServiceRecoveryReport report = client.newUntypedWorkflowStub(started.workflowId(),
                Optional.of(started.runId()), Optional.empty()).getResult(ServiceRecoveryReport.class);
        return romaRun(report, round, t0, wallT0, healthyAt);
    }

    /** The recovery as the Web UI starts it: under an ID of its own, so the run first claims the plan. */
    private Run romaOnce(WorkflowClient client, String taskQueue, int round, long t0, Future<Long> healthyAt)
            throws Exception {
        // The embedded server, the workflow and this client share one clock: the timeline can be placed on the
        // benchmark's own time line.
        long wallT0 = System.currentTimeMillis() - millisSince(t0, System.nanoTime());
        ServiceRecoveryWorkflow wf = client.newWorkflowStub(ServiceRecoveryWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue).setWorkflowId("bench-restart-" + round + "-" + UUID.randomUUID()).build());
        ServiceRecoveryReport report = wf.recover(new ServiceRecoveryRequest(PLAN, "benchmark: " + VICTIM + " killed",
                "bench"));
        return romaRun(report, round, t0, wallT0, healthyAt);
    }

    private Run romaRun(ServiceRecoveryReport report, int round, long t0, long wallT0, Future<Long> healthyAt)
            throws Exception {
        long done = millisSince(t0, System.nanoTime());
        if (report.outcome() != Outcome.RECOVERED) {
            throw new IllegalStateException("round " + round + ": roma-dr did not recover: " + report.summary());
        }
        long healthy = millisSince(t0, healthyAt.get());
        Map<String, Long> parts = new LinkedHashMap<>();
        String restart = "";
        long restartEnded = 0;
        long inSteps = 0;
        for (StepRecord s : report.timeline()) {
            parts.merge(s.step(), s.durationMillis(), Long::sum);
            inSteps += s.durationMillis();
            if (s.step().equals("restart")) {
                restart = s.detail();
                restartEnded = s.endedAt();
            }
        }
        if (!parts.containsKey("restart") || parts.containsKey("recreate")) {
            throw new IllegalStateException("round " + round + ": expected a recovery by restart, got "
                    + parts.keySet() + ": " + report.summary());
        }
        parts.put("(wall minus steps: workflow start/result, task dispatch)", done - inSteps);
        parts.put("(of which: client call -> workflow started)", report.incident() == null
                ? report.startedAt() - wallT0
                : report.incident().requestedAt() - wallT0);
        parts.put("(restart step ended -> healthy seen from outside; < 0: healthy before the step's end)",
                wallT0 + healthy - restartEnded);
        parts.put("(the report's RTO actual: RTO clock start -> verified healthy)", report.rtoActualMillis());
        return new Run(healthy, done, parts, restart);
    }

    /** A baseline script as a subprocess, timed from spawn to exit; its {@code step NAME MILLIS} lines are parts. */
    private Run scriptOnce(Path script, List<String> args, long t0, Future<Long> healthyAt) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        long done = millisSince(t0, System.nanoTime());
        if (rc != 0) {
            throw new IllegalStateException(script.getFileName() + " exited " + rc);
        }
        long healthy = millisSince(t0, healthyAt.get());
        Map<String, Long> parts = new LinkedHashMap<>();
        String detail = "";
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3 && f[0].equals("step")) {
                parts.put(f[1], Long.parseLong(f[2]));
            } else if (line.startsWith("compose ")) {
                detail = line.substring("compose ".length());
            }
        }
        return new Run(healthy, done, parts, detail);
    }

    /** Kills the victim and polls the engine until the container is really exited. */
    static void killAndAwaitExited(SandboxService sandbox, DockerClient docker) {
        sandbox.kill(VICTIM);
        String id = sandbox.containerId(VICTIM);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            InspectContainerResponse.ContainerState st = docker.inspectContainerCmd(id).exec().getState();
            if (!Boolean.TRUE.equals(st.getRunning()) && "exited".equals(st.getStatus())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("container " + VICTIM + " did not exit: " + st.getStatus());
            }
            BenchmarkSupport.sleep(20);
        }
    }

    // ---- output ----------------------------------------------------------------------------------------------

    private static String markdown(int runs, Map<String, Results> results, Path baseline, List<String> baselineArgs,
            Path runbook, List<String> runbookArgs, String dockerVersion, String command) {
        Results roma = results.get(SIDES.get(0));
        Results bare = results.get(SIDES.get(1));
        Results seed = results.get(SIDES.get(2));
        Results webUi = results.get(SIDES.get(3));
        Path here = Path.of("").toAbsolutePath();
        StringBuilder m = new StringBuilder();
        m.append("#### Restart of a killed container: roma-dr vs `docker restart` + curl polling vs the seed's ")
                .append("Scenario 1 runbook as a script\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), Docker ")
                .append(dockerVersion).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Runs: ").append(runs).append(" per side, the sides in turn (each round starts with the ")
                .append("next side), after one uncounted warm-up round; fault before every run: `docker kill` of ")
                .append("the `").append(VICTIM).append("` container, waited until exited\n");
        m.append("- Time to healthy: from just before the side starts until both health URLs answer 200, seen from ")
                .append("outside (`HealthWatch`: a probe of each URL every ").append(WATCH_INTERVAL.toMillis())
                .append(" ms on a fresh connection, probes overlapping), the same for every side\n");
        m.append("- roma-dr: `ServiceRecoveryWorkflow` on an embedded Temporal + worker in the same JVM, ")
                .append("plan pollInterval ").append(POLL).append(", watchWindow 0s; done = the RECOVERED result ")
                .append("(verified). Started as an alert or `roma-dr recover` starts it (`RecoveryStarter`: its ")
                .append("checks for a running recovery of the plan, the start under the canonical ID, the trigger ")
                .append("signal); \"roma-dr, Web UI start\": under an ID of its own, as the Web UI starts it, so the ")
                .append("run first claims the plan. Restart step: ").append(String.join(" / ", roma.details))
                .append('\n');
        m.append("- Baseline: `").append(here.relativize(baseline)).append(' ')
                .append(String.join(" ", baselineArgs)).append("` (a subprocess; done = its exit, when both URLs ")
                .append("answered; polls every 0.1 s)\n");
        m.append("- Seed runbook: `").append(here.relativize(runbook)).append(' ')
                .append(String.join(" ", runbookArgs)).append("` (a subprocess; done = its exit, verified; ")
                .append("compose: `").append(String.join(" / ", seed.details)).append("`)\n\n");
        m.append("| side | healthy median ms | healthy mean ms | healthy p90 ms | done median ms | done mean ms | ")
                .append("done p90 ms |\n");
        m.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Results> e : results.entrySet()) {
            Results r = e.getValue();
            m.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d | %.0f | %.0f | %d |%n", e.getKey(),
                    median(r.healthy), mean(r.healthy), rank(sorted(r.healthy), 0.9), median(r.done), mean(r.done),
                    rank(sorted(r.done), 0.9)));
        }
        m.append('\n');
        m.append(String.format(Locale.ROOT, "**Time to healthy, roma-dr / baseline: %.2fx (medians), %.2fx "
                + "(means).**%n", median(roma.healthy) / median(bare.healthy),
                mean(roma.healthy) / mean(bare.healthy)));
        m.append(String.format(Locale.ROOT, "**Time to recovered (verified), roma-dr / seed runbook script: %.2fx "
                + "(medians), %.2fx (means).**%n", median(roma.done) / median(seed.done),
                mean(roma.done) / mean(seed.done)));
        m.append(String.format(Locale.ROOT, "Time to healthy, roma-dr / seed runbook script: %.2fx (medians). "
                + "Roma-dr's done / baseline's done (verified vs not): %.2fx (medians).%n%n",
                median(roma.healthy) / median(seed.healthy), median(roma.done) / median(bare.done)));
        m.append(String.format(Locale.ROOT, "Time to healthy, roma-dr started from the Web UI / baseline: %.2fx "
                + "(medians), %.2fx (means).%n%n", median(webUi.healthy) / median(bare.healthy),
                mean(webUi.healthy) / mean(bare.healthy)));
        parts(m, "roma-dr's timeline steps (workflow time, ms)", roma, runs);
        parts(m, "roma-dr started from the Web UI, its timeline steps (workflow time, ms)", webUi, runs);
        parts(m, "The seed runbook script's steps (ms)", seed, runs);
        return m.toString();
    }

    static void parts(StringBuilder m, String title, Results r, int runs) {
        m.append(title).append(", over the ").append(runs).append(" runs:\n\n");
        m.append("| step | median ms | mean ms | min ms | max ms |\n");
        m.append("|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<Long>> e : r.parts.entrySet()) {
            List<Long> v = e.getValue();
            m.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d | %d |%n", e.getKey(), median(v), mean(v),
                    min(v), max(v)));
        }
        m.append('\n');
    }

    static long min(List<Long> v) {
        return sorted(v)[0];
    }

    static long max(List<Long> v) {
        long[] s = sorted(v);
        return s[s.length - 1];
    }
}
