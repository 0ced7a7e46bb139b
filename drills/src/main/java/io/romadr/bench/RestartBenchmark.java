package io.romadr.bench;

import io.romadr.activities.notify.NotificationSettings;
import static io.romadr.bench.BenchmarkSupport.mean;
import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.drill.DrillEnvironment;
import io.romadr.plan.PlanRepository;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepRecord;
import io.romadr.worker.EmbeddedTemporal;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.SearchAttributesRegistrar;
import io.romadr.worker.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of one recovery (restart the killed container, wait until the service is healthy) through roma-dr vs
 * a plain shell script ({@code bench/restart-baseline.sh}: {@code docker restart} + polling the health URLs), on
 * the same sandbox service, in one process. Rounds alternate roma-dr / baseline to spread the machine's noise over
 * both sides; one warm-up round of each is not counted. Prints a markdown block to stdout, progress to stderr.
 *
 * <p>Run: {@code java -cp drills/target/roma-dr-drills.jar io.romadr.bench.RestartBenchmark --runs 10
 * --baseline bench/restart-baseline.sh} (or {@code bench/restart-benchmark.sh}).
 */
public final class RestartBenchmark {
    static final String PLAN = "bench-restart";
    static final String TASK_QUEUE = "roma-dr-bench";
    static final String VICTIM = "roma";
    static final String POLL = "100ms";

    private RestartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        Path baseline = Path.of("bench/restart-baseline.sh");
        String command = BenchmarkSupport.command(RestartBenchmark.class, args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--baseline" -> baseline = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: RestartBenchmark [--runs N] [--baseline bench/restart-baseline.sh]");
                    System.exit(2);
                }
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        if (!Files.isExecutable(baseline)) {
            throw new IllegalArgumentException("baseline script not found or not executable: " + baseline);
        }
        System.out.print(new RestartBenchmark().run(runs, baseline.toAbsolutePath(), command));
        System.out.flush();
        System.exit(0); // the SDK's non-daemon threads must not keep the JVM alive
    }

    private String run(int runs, Path baseline, String command) throws Exception {
        DockerClient docker = DrillEnvironment.docker("benchmark");
        String dockerVersion = docker.versionCmd().exec().getVersion();
        String image = SandboxImage.ensure(docker);
        Path work = Files.createTempDirectory("roma-dr-bench-");
        Path plansDir = Files.createDirectories(work.resolve("plans"));
        String project = "romadr-bench-" + UUID.randomUUID().toString().substring(0, 6);

        List<Long> roma = new ArrayList<>();
        List<Long> shell = new ArrayList<>();
        List<Long> other = new ArrayList<>(); // roma-dr wall time outside the timeline's steps
        Map<String, List<Long>> steps = new LinkedHashMap<>();
        List<String> restartDetails = new ArrayList<>();
        List<String> baselineArgs = new ArrayList<>();
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
            SandboxService sandbox = SandboxService.create(docker, project, image, SandboxService.Options.defaults());
            try (TemporalConnection connection = new TemporalConnection(temporal.address(), "default")) {
                Files.writeString(plansDir.resolve(PLAN + ".yaml"),
                        sandbox.planYaml(PLAN, "15m", "30s", POLL, "10s", "0s", "1s"));
                SearchAttributesRegistrar.ensure(connection.service(), "default");
                // The same recovery as the workflow's: it restarts only the broken container (the killed one) and
                // then waits for every health check of the plan, i.e. both services' URLs.
                baselineArgs.add(sandbox.containerName(VICTIM));
                for (String s : sandbox.services()) {
                    baselineArgs.add(sandbox.healthUrl(s));
                }
                try (RomaWorker worker = new RomaWorker(connection.client(), TASK_QUEUE,
                        new PlanRepository(plansDir), docker, NotificationSettings.NONE)) {
                    worker.start();
                    sandbox.awaitHealthy(Duration.ofSeconds(30));
                    for (int round = 0; round <= runs; round++) { // round 0 is the warm-up
                        boolean counted = round > 0;
                        RomaRun r = romaOnce(connection.client(), sandbox, docker, round);
                        long b = baselineOnce(sandbox, docker, baseline, baselineArgs);
                        System.err.printf(Locale.ROOT, "%s %2d: roma-dr %5d ms, baseline %5d ms%n",
                                counted ? "run   " : "warmup", round, r.wallMillis, b);
                        if (counted) {
                            roma.add(r.wallMillis);
                            other.add(r.wallMillis - r.steps.values().stream().mapToLong(Long::longValue).sum());
                            shell.add(b);
                            r.steps.forEach((k, v) -> steps.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
                            if (!restartDetails.contains(r.restartDetail)) {
                                restartDetails.add(r.restartDetail);
                            }
                        }
                    }
                }
            } finally {
                sandbox.destroy();
            }
        } finally {
            DrillEnvironment.deleteTree(work);
        }
        return markdown(runs, roma, other, shell, steps, restartDetails, baseline, baselineArgs, dockerVersion,
                command);
    }

    private record RomaRun(long wallMillis, Map<String, Long> steps, String restartDetail) {
    }

    private RomaRun romaOnce(WorkflowClient client, SandboxService sandbox, DockerClient docker, int round) {
        killAndAwaitExited(sandbox, docker);
        ServiceRecoveryWorkflow wf = client.newWorkflowStub(ServiceRecoveryWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TASK_QUEUE).setWorkflowId("bench-restart-" + round + "-" + UUID.randomUUID()).build());
        long t0 = System.nanoTime();
        ServiceRecoveryReport report = wf.recover(new ServiceRecoveryRequest(PLAN, "benchmark: " + VICTIM + " killed",
                "bench"));
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (report.outcome() != Outcome.RECOVERED) {
            throw new IllegalStateException("round " + round + ": roma-dr did not recover: " + report.summary());
        }
        Map<String, Long> steps = new LinkedHashMap<>();
        String restart = "";
        for (StepRecord s : report.timeline()) {
            steps.merge(s.step(), s.durationMillis(), Long::sum);
            if (s.step().equals("restart")) {
                restart = s.detail();
            }
        }
        if (!steps.containsKey("restart") || steps.containsKey("recreate")) {
            throw new IllegalStateException("round " + round + ": expected a recovery by restart, got "
                    + steps.keySet() + ": " + report.summary());
        }
        return new RomaRun(wall, steps, restart);
    }

    private long baselineOnce(SandboxService sandbox, DockerClient docker, Path script, List<String> args)
            throws IOException, InterruptedException {
        killAndAwaitExited(sandbox, docker);
        List<String> cmd = new ArrayList<>();
        cmd.add(script.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long t0 = System.nanoTime();
        Process p = pb.start();
        int rc = p.waitFor();
        long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        if (rc != 0) {
            throw new IllegalStateException("baseline script exited " + rc);
        }
        return wall;
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

    private static String markdown(int runs, List<Long> roma, List<Long> other, List<Long> shell,
            Map<String, List<Long>> steps,
            List<String> restartDetails, Path baseline, List<String> baselineArgs, String dockerVersion,
            String command) {
        StringBuilder m = new StringBuilder();
        m.append("### Restart + wait healthy: roma-dr vs `docker restart` + curl polling\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), Docker ")
                .append(dockerVersion).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Runs: ").append(runs).append(" per side, alternating roma-dr / baseline, after one uncounted ")
                .append("warm-up round of each; fault before every run: `docker kill` of the `").append(VICTIM)
                .append("` container, waited until exited\n");
        m.append("- roma-dr: `ServiceRecoveryWorkflow.recover` on an embedded Temporal + worker in the same JVM, ")
                .append("plan pollInterval ").append(POLL).append(", watchWindow 0s; timed from the start call to ")
                .append("the RECOVERED result. Restart step: ").append(String.join(" / ", restartDetails))
                .append('\n');
        m.append("- Baseline: `").append(Path.of("").toAbsolutePath().relativize(baseline)).append(' ')
                .append(String.join(" ", baselineArgs)).append("` (a subprocess, timed from spawn to exit; ")
                .append("polls every 0.1 s)\n\n");
        m.append("| side | median ms | mean ms | min ms | max ms | p90 ms |\n");
        m.append("|---|---:|---:|---:|---:|---:|\n");
        row(m, "roma-dr", roma);
        row(m, "baseline (shell)", shell);
        m.append('\n');
        m.append(String.format(Locale.ROOT, "**Ratio roma-dr / baseline: %.2fx (medians), %.2fx (means).**%n%n",
                median(roma) / median(shell), mean(roma) / mean(shell)));
        m.append("roma-dr's timeline steps (workflow time, ms, over the ").append(runs).append(" runs):\n\n");
        m.append("| step | median ms | mean ms | min ms | max ms |\n");
        m.append("|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<Long>> e : steps.entrySet()) {
            List<Long> v = e.getValue();
            m.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d | %d |%n", e.getKey(), median(v), mean(v),
                    min(v), max(v)));
        }
        m.append(String.format(Locale.ROOT, "| (wall minus steps: workflow start/result, task dispatch) | %.0f | "
                + "%.0f | %d | %d |%n", median(other), mean(other), min(other), max(other)));
        return m.toString();
    }

    private static void row(StringBuilder m, String name, List<Long> v) {
        m.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d | %d | %d |%n", name, median(v), mean(v),
                min(v), max(v), rank(sorted(v), 0.9)));
    }

    static long min(List<Long> v) {
        return sorted(v)[0];
    }

    static long max(List<Long> v) {
        long[] s = sorted(v);
        return s[s.length - 1];
    }
}
