package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.github.dockerjava.api.DockerClient;
import com.google.protobuf.Timestamp;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.drill.DrillEnvironment;
import io.romadr.report.Outcome;
import io.romadr.report.StepRecord;
import io.romadr.report.TriggerNotice;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.WorkerTuning;
import io.romadr.worker.cluster.PostgresDatabases;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scale benchmark (issue 19): how N concurrent Scenario 1 recoveries fare on ONE worker, measured from the
 * client's side as well as the reports', so the figures are right whatever the report's RTO clock counts from. For
 * each N:
 * N sandbox services (one busybox httpd container each, {@link SandboxService}), each with its own plan, all killed
 * ({@code docker kill}), then N recoveries started at once against one fresh worker JVM (the worker jar's bare
 * {@code worker} command, its default {@link WorkerTuning}, {@code -Xmx}) on the Temporal server built from its Go
 * module with PostgreSQL persistence and visibility ({@link TemporalServerProcess}). The worker's RSS (VmRSS/VmHWM),
 * threads and CPU are read from /proc while it works. Per recovery, from the client's start call: the time to its
 * first step (the queue wait before the workflow's first task and the first step's own wait for a slot) and the time
 * to healthy (the service verified healthy); and the RTO actual as its report states it. From each recovery's history,
 * where the time to its first step went (the start recorded, its first workflow task started) and its workflow task
 * timeouts by kind; and who used the machine's CPUs meanwhile ({@link CpuByProcess}). Prints a markdown block to
 * stdout, progress to stderr; stops at the first N where something breaks and says what.
 *
 * <p>Run: {@code bench/scale-benchmark.sh 1,10,100,250,500,1000}.
 */
public final class ScaleBenchmark {
    static final String VICTIM = "roma";
    static final long RSS_LIMIT_MB = 512;
    /** The steps of a recovery by restart, up to the service verified healthy (what the RTO actual spans). */
    static final List<String> RTO_STEPS = List.of("load-plan", "assess", "restart", "wait-healthy", "verify");
    /** The RTO actual minus those steps: workflow tasks, activities waiting for a slot or a poller, dispatch. */
    static final String BETWEEN = "between steps";
    /** The goal of issue 19 for the time from the start call to the first step, at p99. */
    static final long FIRST_STEP_GOAL_MILLIS = 5_000;

    /** What the plans say: the example plan's RTO and waits, a watch window short enough for a benchmark. */
    record PlanSettings(String rto, String waitHealthy, String poll, String stopTimeout, String watch,
            String watchInterval) {
        String describe() {
            return "RTO " + rto + ", waitHealthy " + waitHealthy + ", pollInterval " + poll + ", stopTimeout "
                    + stopTimeout + ", watchWindow " + watch + " (every " + watchInterval + ")";
        }
    }

    private final Path workerJar;
    private final String xmx;
    private final PlanSettings plan;
    private final int dockerThreads;
    private final int clientThreads;
    private final DockerClient docker;
    private final String image;
    private final Path work;

    private ScaleBenchmark(Path workerJar, String xmx, PlanSettings plan, int dockerThreads, int clientThreads,
            Path work) {
        this.workerJar = workerJar;
        this.xmx = xmx;
        this.plan = plan;
        this.dockerThreads = dockerThreads;
        this.clientThreads = clientThreads;
        this.docker = DrillEnvironment.docker("benchmark");
        this.image = SandboxImage.ensure(docker);
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = List.of(1, 10, 100, 250, 500, 1000);
        Path workerJar = Path.of("worker/target/roma-dr-worker.jar");
        String xmx = "256m";
        String watch = "30s";
        int dockerThreads = 4;
        int clientThreads = 32;
        String command = BenchmarkSupport.command(ScaleBenchmark.class, args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--counts" -> counts = java.util.Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(Integer::parseInt).toList();
                case "--worker-jar" -> workerJar = Path.of(args[++i]);
                case "--xmx" -> xmx = args[++i];
                case "--watch" -> watch = args[++i];
                case "--docker-threads" -> dockerThreads = Integer.parseInt(args[++i]);
                case "--client-threads" -> clientThreads = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: ScaleBenchmark [--counts 1,10,100,250,500,1000] "
                            + "[--worker-jar worker/target/roma-dr-worker.jar] [--xmx 256m] [--watch 30s] "
                            + "[--docker-threads 4] [--client-threads 32]");
                    System.exit(2);
                }
            }
        }
        if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--counts: each N must be 1 or more, got " + counts);
        }
        if (!Files.isRegularFile(workerJar)) {
            throw new IllegalArgumentException("worker jar not found: " + workerJar
                    + " (./mvnw -q -B -o -pl worker -am package -DskipTests)");
        }
        Path work = Files.createTempDirectory("roma-dr-scale-");
        try {
            ScaleBenchmark bench = new ScaleBenchmark(workerJar.toAbsolutePath(), xmx,
                    new PlanSettings("15m", "60s", "2s", "10s", watch, "5s"), dockerThreads, clientThreads, work);
            System.out.print(bench.run(counts, command));
            System.out.flush();
        } finally {
            DrillEnvironment.deleteTree(work);
        }
        System.exit(0); // the SDK's non-daemon threads must not keep the JVM alive
    }

    private String run(List<Integer> counts, String command) throws Exception {
        String dockerVersion = docker.versionCmd().exec().getVersion();
        List<Row> rows = new ArrayList<>();
        String serverLine;
        String tuningLine = "";
        try (PostgresDatabases dbs = PostgresDatabases.create("romadr_scale", work);
                TemporalServerProcess server = TemporalServerProcess.start(
                        Files.createDirectories(work.resolve("server")), new TemporalServerProcess.Postgres(dbs));
                TemporalConnection connection = new TemporalConnection(server.address(), "default")) {
            serverLine = "Temporal server " + server.version() + " (Go build of go.temporal.io/server, all services "
                    + "in one process), " + server.database();
            System.err.println(serverLine);
            for (int n : counts) {
                Row row = once(n, connection.client(), server.address());
                rows.add(row);
                tuningLine = row.tuning.isEmpty() ? tuningLine : row.tuning;
                System.err.println("N=" + n + ": " + row.line());
                if (row.broken != null) {
                    break;
                }
            }
        }
        return markdown(rows, serverLine, tuningLine, dockerVersion, command);
    }

    // ---- one N --------------------------------------------------------------------------------------------------

    private Row once(int n, WorkflowClient client, String address) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String queue = "roma-dr-scale-" + run;
        Path plans = Files.createDirectories(work.resolve("plans-" + n + "-" + run));
        List<SandboxService> sandboxes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(dockerThreads);
        Row row = new Row(n);
        BenchWorker worker = null;
        try {
            // The sandboxes, in parallel: docker's own speed is part of what this measures.
            long t0 = System.nanoTime();
            String broken = all(pool, n, i -> {
                String name = planName(run, i);
                SandboxService s = SandboxService.create(docker, "romadr-cap-" + run + "-" + i, image,
                        SandboxService.Options.defaults(), List.of(VICTIM));
                sandboxes.add(s);
                Files.writeString(plans.resolve(name + ".yaml"), s.planYaml(name, plan.rto(), plan.waitHealthy(),
                        plan.poll(), plan.stopTimeout(), plan.watch(), plan.watchInterval()));
                return null;
            });
            row.sandboxSeconds = seconds(t0);
            if (broken != null) {
                row.broken = "making " + n + " sandboxes: " + broken;
                return row;
            }
            worker = BenchWorker.start(work, javaBin(), xmx, workerJar, address, queue, plans);
            row.tuning = worker.tuningLine();
            warmUp(client, queue, run, plans);
            // The fault: every sandbox's container killed, waited until exited.
            broken = all(pool, n, i -> {
                sandboxes.get(i).kill(VICTIM);
                return null;
            });
            if (broken != null) {
                row.broken = "killing the containers: " + broken;
                return row;
            }
            ProcSampler sampler = ProcSampler.start(worker.pid());
            CpuByProcess cpu = CpuByProcess.start(worker.pid());
            try {
                recoverAll(n, client, queue, run, row);
            } finally {
                row.cpuByGroup = cpu.stop();
                sampler.stop();
                row.rssMaxMb = sampler.hwmKb() / 1024;
                row.threadsMax = sampler.threadsMax();
                row.cpuSeconds = sampler.cpuSeconds();
            }
            if (!worker.isAlive()) {
                row.broken = "the worker JVM died: " + worker.logTail(5);
            } else if (row.recovered < n) {
                row.broken = (n - row.recovered) + " of " + n + " not RECOVERED, e.g. " + row.firstProblem;
            } else if (row.rssMaxMb > RSS_LIMIT_MB) {
                row.broken = "worker RSS " + row.rssMaxMb + " MB over " + RSS_LIMIT_MB + " MB";
            } else if (row.breached > 0) {
                row.broken = row.breached + " recoveries breached the RTO";
            }
            return row;
        } finally {
            if (worker != null) {
                worker.close();
            }
            long t0 = System.nanoTime();
            all(pool, sandboxes.size(), i -> {
                sandboxes.get(i).destroy();
                return null;
            });
            row.teardownSeconds = seconds(t0);
            pool.shutdownNow();
        }
    }

    /**
     * One uncounted recovery on the fresh worker (its own sandbox, no watch window), so the first measured steps do
     * not pay the JVM's class loading and JIT: N=1, the baseline, would otherwise be mostly that.
     */
    private void warmUp(WorkflowClient client, String queue, String run, Path plans) throws Exception {
        String name = "capacity-" + run + "-warmup";
        SandboxService s = SandboxService.create(docker, "romadr-cap-" + run + "-warmup", image,
                SandboxService.Options.defaults(), List.of(VICTIM));
        try {
            Files.writeString(plans.resolve(name + ".yaml"), s.planYaml(name, plan.rto(), plan.waitHealthy(),
                    plan.poll(), plan.stopTimeout(), "0s", plan.watchInterval()));
            s.kill(VICTIM);
            RecoveryStarter.Outcome started = new RecoveryStarter(client, queue).start(
                    ServiceRecoveryWorkflow.SCENARIO, name, new ServiceRecoveryRequest(name, "warm-up", "bench"),
                    new TriggerNotice("bench", "bench", "", "requested", "", "warm-up"), false);
            ServiceRecoveryReport report = client.newUntypedWorkflowStub(started.workflowId())
                    .getResult(5, TimeUnit.MINUTES, ServiceRecoveryReport.class);
            if (report.outcome() != Outcome.RECOVERED) {
                throw new IllegalStateException("the warm-up recovery did not recover: " + report.summary());
            }
        } finally {
            s.destroy();
        }
    }

    /** A plan name unique to this N (so each recovery's canonical ID is new). */
    private static String planName(String run, int i) {
        return "capacity-" + run + "-" + i;
    }

    /**
     * Starts N recoveries at once ({@code clientThreads} client threads released together) as every roma-dr starter does ({@link RecoveryStarter}: the
     * plan's one ID, checked against the plan's running recoveries), then reads each result; fills {@code row}.
     */
    private void recoverAll(int n, WorkflowClient client, String queue, String run, Row row) throws Exception {
        ExecutorService starters = Executors.newFixedThreadPool(clientThreads);
        RecoveryStarter starter = new RecoveryStarter(client, queue);
        List<String> ids = new ArrayList<>();
        long[] calledAt = new long[n];
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String plan = planName(run, i);
            ids.add(RecoveryStarter.workflowId(ServiceRecoveryWorkflow.SCENARIO, plan));
            int k = i;
            started.add(starters.submit(() -> {
                go.await();
                calledAt[k] = System.currentTimeMillis();
                RecoveryStarter.Outcome outcome = starter.start(ServiceRecoveryWorkflow.SCENARIO, plan,
                        new ServiceRecoveryRequest(plan, "scale benchmark: " + VICTIM + " killed", "bench"),
                        new TriggerNotice("bench", "bench", "", "requested", "", "scale benchmark"), false);
                if (outcome.action() != RecoveryStarter.Action.STARTED) {
                    throw new IllegalStateException(plan + ": not started: " + outcome.describe());
                }
                return null;
            }));
        }
        // Every client thread waits on the gate, so the first starts go out at the same instant.
        long t0 = System.nanoTime();
        long wall0 = System.currentTimeMillis();
        go.countDown();
        // A start call that fails (e.g. the server too busy to answer within the client's deadline) is a result:
        // that recovery counts as not RECOVERED.
        boolean[] notStarted = new boolean[n];
        for (int i = 0; i < n; i++) {
            try {
                started.get(i).get(5, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                notStarted[i] = true;
                if (row.firstProblem == null) {
                    row.firstProblem = ids.get(i) + ": start call failed: " + String.valueOf(e.getCause()
                            .getMessage()).lines().findFirst().orElse("");
                }
            }
        }
        starters.shutdown();
        row.startSeconds = seconds(t0);
        long deadline = System.currentTimeMillis() + Duration.parse("PT" + plan.rto().toUpperCase(Locale.ROOT))
                .plusMinutes(10).toMillis();
        for (int i = 0; i < n; i++) {
            if (notStarted[i]) {
                continue;
            }
            ServiceRecoveryReport report = null;
            String problem = null;
            try {
                report = client.newUntypedWorkflowStub(ids.get(i)).getResult(
                        Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS,
                        ServiceRecoveryReport.class);
            } catch (TimeoutException e) {
                problem = ids.get(i) + " not finished within the RTO + 10 min";
            } catch (WorkflowFailedException e) {
                problem = ids.get(i) + " failed: " + e.getCause().getMessage();
            }
            if (report != null && report.outcome() == Outcome.RECOVERED && report.rtoActualMillis() != null) {
                row.recovered++;
                row.rto.add(report.rtoActualMillis());
                row.rtoTargetMillis = report.rtoTargetMillis();
                // From the client's start call, whatever the report's clock counts from: healthy is the end of
                // verify (the report's start plus its RTO actual), the first step the first one the timeline has.
                long called = calledAt[i];
                long healthyAfter = report.startedAt() + report.rtoActualMillis() - called;
                row.toHealthy.add(healthyAfter);
                OptionalLong firstStep = report.timeline().stream().filter(s -> RTO_STEPS.contains(s.step()))
                        .mapToLong(StepRecord::startedAt).min();
                firstStep.ifPresent(first -> row.toFirstStep.add(first - called));
                firstTask(client, ids.get(i)).ifPresent(t -> {
                    row.toRecordedStart.add(t.recordedStart() - called);
                    row.queueWait.add(t.firstTaskStarted() - t.recordedStart());
                    firstStep.ifPresent(first -> row.taskToFirstStep.add(first - t.firstTaskStarted()));
                    row.startToClose += t.startToClose();
                    row.scheduleToStart += t.scheduleToStart();
                    row.taskFailures += t.taskFailures();
                    row.withStartToClose += t.startToClose() > 0 ? 1 : 0;
                });
                row.breached += report.rtoBreached() ? 1 : 0;
                row.overRtoFromCall += healthyAfter > report.rtoTargetMillis() ? 1 : 0;
                long inSteps = 0;
                for (StepRecord s : report.timeline()) {
                    if (RTO_STEPS.contains(s.step())) {
                        row.steps.computeIfAbsent(s.step(), k -> new ArrayList<>()).add(s.durationMillis());
                        inSteps += s.durationMillis();
                    }
                }
                row.steps.computeIfAbsent(BETWEEN, k -> new ArrayList<>()).add(report.rtoActualMillis() - inSteps);
                if (i == 0) { // one timeline per N, to see where the time goes
                    System.err.println("N=" + n + " first recovery's steps: " + report.timeline().stream()
                            .map(s -> s.step() + " " + s.durationMillis() + " ms").toList());
                }
            } else if (row.firstProblem == null) {
                row.firstProblem = problem != null ? problem : ids.get(i) + ": " + report.summary();
            }
        }
        row.allDoneSeconds = (System.currentTimeMillis() - wall0) / 1000.0;
    }

    /** When Temporal recorded a workflow's start and when its first workflow task started, from its history. */
    record FirstTask(long recordedStart, long firstTaskStarted, int startToClose, int scheduleToStart,
            int taskFailures) {
    }

    private static final AtomicInteger PRINTED_HISTORIES = new AtomicInteger();

    private static Optional<FirstTask> firstTask(WorkflowClient client, String workflowId) {
        List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
        long started = toMillis(events.get(0).getEventTime());
        int startToClose = timeouts(events, TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
        int scheduleToStart = timeouts(events, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
        int timeouts = startToClose + scheduleToStart;
        int failures = (int) events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                .count();
        if (timeouts > 0 && PRINTED_HISTORIES.getAndIncrement() < 3) { // a few, to see which tasks time out
            System.err.println(workflowId + " history: " + events.stream().map(e -> (toMillis(e.getEventTime())
                    - started) + "ms " + e.getEventType().name().replace("EVENT_TYPE_", "")
                    + (e.hasWorkflowTaskTimedOutEventAttributes()
                            ? "(" + e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType() + ")"
                            : "")
                    + (e.hasWorkflowTaskScheduledEventAttributes()
                            ? "(" + e.getWorkflowTaskScheduledEventAttributes().getTaskQueue().getKind() + ")"
                            : ""))
                    .toList());
        }
        return events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).findFirst()
                .map(e -> new FirstTask(started, toMillis(e.getEventTime()), startToClose, scheduleToStart, failures));
    }

    private static int timeouts(List<HistoryEvent> events, TimeoutType type) {
        return (int) events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT
                && e.getWorkflowTaskTimedOutEventAttributes().getTimeoutType() == type).count();
    }

    private static long toMillis(Timestamp t) {
        return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    }

    private interface Task {
        Void run(int i) throws Exception;
    }

    /** Runs task(0..n-1) on the pool; null when all succeeded, else the first failure and how many failed. */
    private static String all(ExecutorService pool, int n, Task task) throws InterruptedException {
        List<Future<Void>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> task.run(k)));
        }
        String first = null;
        int failed = 0;
        for (Future<Void> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                failed++;
                first = first != null
                        ? first
                        : String.valueOf(e.getCause().getMessage()).lines().findFirst()
                                .orElse("");
            }
        }
        return failed == 0 ? null : failed + " of " + n + " failed, first: " + first;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    // ---- the worker JVM and what /proc says of it ---------------------------------------------------------------

    /** The worker jar's bare {@code worker} command in a JVM of its own, ready once it says it polls. */
    static final class BenchWorker extends LocalServerProcess {
        static final String READY_LINE = "roma-dr worker on";
        private final List<String> command;

        private BenchWorker(Path log, List<String> command) {
            super("worker", log, Duration.ofSeconds(90));
            this.command = command;
        }

        static BenchWorker start(Path work, Path java, String xmx, Path jar, String address, String queue,
                Path plans) {
            BenchWorker w = new BenchWorker(work.resolve("worker-" + queue + ".log"), List.of(java.toString(),
                    "-Xmx" + xmx, "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString(), "worker",
                    "--address", address, "--namespace", "default", "--task-queue", queue,
                    "--plans", plans.toString()));
            w.launch();
            return w;
        }

        @Override
        protected List<String> command() {
            return command;
        }

        @Override
        protected Optional<String> notReady() {
            return logText().contains(READY_LINE)
                    ? Optional.empty()
                    : Optional.of("it has not printed \"" + READY_LINE + "\" yet");
        }

        /** The tuning it reports in its ready line. */
        String tuningLine() {
            return logText().lines().filter(l -> l.contains(READY_LINE)).findFirst()
                    .map(l -> l.substring(l.indexOf("workflow-tasks=") < 0 ? l.length() : l.indexOf("workflow-tasks=")))
                    .orElse("");
        }

        @Override
        public void close() {
            kill();
        }
    }

    /** Samples /proc/PID every 200 ms: peak RSS (VmHWM), peak thread count, CPU time used since the start. */
    static final class ProcSampler {
        static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux
        private final long pid;
        private final long cpuTicksAtStart;
        private final AtomicLong hwmKb = new AtomicLong();
        private final AtomicLong threads = new AtomicLong();
        private final AtomicLong cpuTicks = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        private ProcSampler(long pid) throws IOException {
            this.pid = pid;
            this.cpuTicksAtStart = cpuTicks(pid);
            this.thread = new Thread(this::loop, "proc-sampler");
            this.thread.setDaemon(true);
        }

        static ProcSampler start(long pid) throws IOException {
            ProcSampler s = new ProcSampler(pid);
            s.thread.start();
            return s;
        }

        private void loop() {
            while (running) {
                sample();
                BenchmarkSupport.sleep(200);
            }
        }

        private void sample() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        hwmKb.accumulateAndGet(kb(line), Math::max);
                    } else if (line.startsWith("Threads:")) {
                        threads.accumulateAndGet(Long.parseLong(line.substring(8).trim()), Math::max);
                    }
                }
                cpuTicks.set(cpuTicks(pid) - cpuTicksAtStart);
            } catch (IOException | RuntimeException e) {
                // the process is gone; the row says so
            }
        }

        void stop() throws InterruptedException {
            sample();
            running = false;
            thread.join(2000);
        }

        long hwmKb() {
            return hwmKb.get();
        }

        long threadsMax() {
            return threads.get();
        }

        double cpuSeconds() {
            return cpuTicks.get() / (double) TICKS_PER_SECOND;
        }

        private static long kb(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }

        /** utime + stime, fields 14 and 15 of /proc/PID/stat (counted after the command's closing parenthesis). */
        private static long cpuTicks(long pid) throws IOException {
            return cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        }

        /** utime + stime of a /proc/PID/stat line. */
        static long cpuTicks(String stat) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
    }

    /**
     * CPU seconds per process group on the whole machine while the recoveries run (every /proc/PID sampled each
     * 500 ms, per-PID deltas summed by group; a process that lives less than a sample is missed), and the machine's
     * idle time from /proc/stat: which of the parts sharing the 2 CPUs takes them.
     */
    static final class CpuByProcess {
        static final List<String> GROUPS = List.of("worker", "Temporal server", "PostgreSQL",
                "Docker engine + containers", "benchmark client", "other", "idle");
        private final long workerPid;
        private final long selfPid = ProcessHandle.current().pid();
        private final Map<Long, Long> lastTicks = new HashMap<>();
        private final Map<String, Long> ticks = new LinkedHashMap<>();
        private final long idleAtStart;
        private final Thread thread;
        private volatile boolean running = true;

        private CpuByProcess(long workerPid) throws IOException {
            this.workerPid = workerPid;
            this.idleAtStart = idleTicks();
            scan(false);
            this.thread = new Thread(this::loop, "cpu-by-process");
            this.thread.setDaemon(true);
        }

        static CpuByProcess start(long workerPid) throws IOException {
            CpuByProcess c = new CpuByProcess(workerPid);
            c.thread.start();
            return c;
        }

        private void loop() {
            while (running) {
                BenchmarkSupport.sleep(500);
                scan(true);
            }
        }

        /** Seconds per group, "idle" the machine's idle CPU seconds, over the time since the start. */
        Map<String, Double> stop() throws InterruptedException, IOException {
            running = false;
            thread.join(5000);
            scan(true);
            Map<String, Double> seconds = new LinkedHashMap<>();
            synchronized (this) {
                for (String g : GROUPS) {
                    seconds.put(g, ticks.getOrDefault(g, 0L) / (double) ProcSampler.TICKS_PER_SECOND);
                }
            }
            seconds.put("idle", (idleTicks() - idleAtStart) / (double) ProcSampler.TICKS_PER_SECOND);
            return seconds;
        }

        private synchronized void scan(boolean count) {
            try (var dirs = Files.list(Path.of("/proc"))) {
                for (Path d : (Iterable<Path>) dirs::iterator) {
                    String name = d.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long pid = Long.parseLong(name);
                    String stat;
                    try {
                        stat = Files.readString(d.resolve("stat"));
                    } catch (IOException | RuntimeException gone) {
                        continue;
                    }
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    long now = ProcSampler.cpuTicks(stat);
                    Long before = lastTicks.put(pid, now);
                    if (count) {
                        ticks.merge(group(pid, comm), now - (before == null ? 0 : before), Long::sum);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String group(long pid, String comm) {
            if (pid == workerPid) {
                return "worker";
            } else if (pid == selfPid) {
                return "benchmark client";
            } else if (comm.startsWith("temporal-server")) {
                return "Temporal server";
            } else if (comm.startsWith("postgres")) {
                return "PostgreSQL";
            } else if (comm.startsWith("dockerd") || comm.startsWith("containerd") || comm.startsWith("docker-")
                    || comm.equals("runc") || comm.equals("busybox") || comm.equals("httpd")) {
                return "Docker engine + containers";
            }
            return "other";
        }

        /** The 4th field of /proc/stat's "cpu" line, summed over every CPU. */
        private static long idleTicks() throws IOException {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return Long.parseLong(cpu.trim().split("\\s+")[4]);
        }
    }

    // ---- results ------------------------------------------------------------------------------------------------

    static final class Row {
        final int n;
        String tuning = "";
        int recovered;
        int breached;
        long rtoTargetMillis;
        final List<Long> rto = new ArrayList<>();
        final List<Long> toHealthy = new ArrayList<>();
        final List<Long> toFirstStep = new ArrayList<>();
        /** Start call -> the start as Temporal records it; recorded start -> its first workflow task started. */
        final List<Long> toRecordedStart = new ArrayList<>();
        final List<Long> queueWait = new ArrayList<>();
        /** First workflow task started -> the first step's start in the timeline (workflow time). */
        final List<Long> taskToFirstStep = new ArrayList<>();
        /** Workflow task timeouts by kind and failures in the histories; recoveries with a START_TO_CLOSE one. */
        int startToClose;
        int scheduleToStart;
        int taskFailures;
        int withStartToClose;
        /** CPU seconds per process group over the round, and the machine's idle CPU seconds ({@link CpuByProcess}). */
        Map<String, Double> cpuByGroup = Map.of();
        int overRtoFromCall;
        final Map<String, List<Long>> steps = new LinkedHashMap<>();
        long rssMaxMb;
        long threadsMax;
        double cpuSeconds;
        double startSeconds;
        double allDoneSeconds;
        double sandboxSeconds;
        double teardownSeconds;
        String firstProblem;
        String broken;

        Row(int n) {
            this.n = n;
        }

        double p50() {
            return rto.isEmpty() ? Double.NaN : median(rto);
        }

        String line() {
            return String.format(Locale.ROOT, "recovered %d/%d, first step p50 %s p99 %s, healthy p50 %s p99 %s, "
                    + "RTO actual p50 %s p99 %s, RSS max %d MB, threads %d, CPU %.1f s, started in %.1f s, all done "
                    + "in %.0f s, sandboxes %.0f s%s", recovered, n, s(p(toFirstStep, 0.5)), s(p(toFirstStep, 0.99)),
                    s(p(toHealthy, 0.5)), s(p(toHealthy, 0.99)), s(p50()), s(p(rto, 0.99)), rssMaxMb, threadsMax,
                    cpuSeconds, startSeconds, allDoneSeconds, sandboxSeconds, broken == null
                            ? ""
                            : "; BROKE: "
                                    + broken);
        }
    }

    private static double p(List<Long> v, double q) {
        return v.isEmpty() ? Double.NaN : rank(sorted(v), q);
    }

    private static String s(double millis) {
        return Double.isNaN(millis) ? "-" : String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    private String markdown(List<Row> rows, String serverLine, String tuningLine, String dockerVersion,
            String command) {
        StringBuilder m = new StringBuilder();
        m.append("### Scale: N concurrent Scenario 1 recoveries on one worker\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(memTotalMb()).append(" MB RAM, Docker ").append(dockerVersion).append(", ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Server: ").append(serverLine).append('\n');
        m.append("- Worker: one JVM per N, `java -Xmx").append(xmx).append(" -jar roma-dr-worker.jar worker ...`, ")
                .append("default tuning: ").append(tuningLine).append('\n');
        m.append("- Per N: N sandbox services (one busybox httpd container each, its own compose project and ")
                .append("plan: ").append(plan.describe())
                .append("), all `docker kill`ed, one uncounted warm-up recovery on the fresh worker, then N ")
                .append("Scenario 1 recoveries started at once (").append(clientThreads)
                .append(" client threads released together) as every starter does ")
                .append("(`RecoveryStarter`: the plan's one workflow ID, checked against its running recoveries)\n");
        m.append("- From the start call (the client's clock, just before its start call): \"first step\" to the ")
                .append("first step's start in the report's timeline (the queue wait before the first workflow task ")
                .append("and the first step's wait for a slot), \"healthy\" to the service verified healthy. ")
                .append("\"RTO actual\": as the report states it. \"within RTO\": healthy from the start call and ")
                .append("the report, both within the plan's RTO. RSS: the worker's VmHWM (peak) from /proc; CPU: the ")
                .append("worker's user+system time from the first start call to the last result\n\n");
        m.append("| N | all RECOVERED | first step p50 / p99 | healthy p50 / p99 / max | RTO actual (report) p50 / "
                + "p99 / max | all within RTO | worker RSS max | worker threads max | worker CPU | time to start N "
                + "| all done | sandboxes made in |\n");
        m.append("|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            m.append(String.format(Locale.ROOT,
                    "| %d | %s | %s / %s | %s / %s / %s | %s / %s / %s | %s | %d MB | %d | %.1f s (%.2f cores) | "
                            + "%.1f s | %.0f s | %.0f s |%n",
                    r.n, r.recovered == r.n ? "yes" : "no (" + r.recovered + ")", s(p(r.toFirstStep, 0.5)),
                    s(p(r.toFirstStep, 0.99)), s(p(r.toHealthy, 0.5)), s(p(r.toHealthy, 0.99)),
                    s(p(r.toHealthy, 1)), s(r.p50()), s(p(r.rto, 0.99)), s(p(r.rto, 1)),
                    r.rtoTargetMillis == 0
                            ? "-"
                            : r.breached == 0 && r.overRtoFromCall == 0
                                    ? "yes (" + r.rtoTargetMillis / 60_000 + " min)"
                                    : "no: " + r.overRtoFromCall + " from the call, " + r.breached + " by the report",
                    r.rssMaxMb, r.threadsMax, r.cpuSeconds,
                    r.allDoneSeconds > 0 ? r.cpuSeconds / r.allDoneSeconds : 0, r.startSeconds, r.allDoneSeconds,
                    r.sandboxSeconds));
        }
        m.append('\n');
        m.append("Where the RTO actual goes, p50 / p95 per step over the N recoveries (\"between steps\": the RTO ")
                .append("actual minus its steps, i.e. workflow tasks and activities waiting for a slot or a poller):")
                .append("\n\n| N | ").append(String.join(" | ", RTO_STEPS)).append(" | ").append(BETWEEN)
                .append(" |\n|---:|").append("---:|".repeat(RTO_STEPS.size() + 1)).append('\n');
        for (Row r : rows) {
            m.append("| ").append(r.n).append(" |");
            for (String step : java.util.stream.Stream.concat(RTO_STEPS.stream(), java.util.stream.Stream.of(BETWEEN))
                    .toList()) {
                List<Long> v = r.steps.getOrDefault(step, List.of());
                m.append(' ').append(v.isEmpty() ? "-" : s(median(v)) + " / " + s(p(v, 0.95))).append(" |");
            }
            m.append('\n');
        }
        m.append('\n');
        m.append("Where the time to the first step goes, p50 / p99, from each recovery's history: the start call to ")
                .append("the start as Temporal records it (`WorkflowExecutionStarted`), and from there to its first ")
                .append("workflow task started (`WorkflowTaskStarted`: the wait in the task queue until a worker's ")
                .append("poller takes it), from there to the first step's start (workflow time: a first task that ")
                .append("timed out moves it to the next task's start); the workflow task timeouts in the N ")
                .append("histories by kind (START_TO_CLOSE: a worker took the task and did not complete it in time; ")
                .append("SCHEDULE_TO_START: a task on the worker's sticky queue not taken within 5 s) and failures:")
                .append("\n\n| N | start call -> recorded start | recorded start -> first workflow ")
                .append("task started | first task started -> first step | first step (from the start call) | ")
                .append("task timeouts START_TO_CLOSE (recoveries) | task timeouts SCHEDULE_TO_START | task failures |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            m.append(String.format(Locale.ROOT, "| %d | %s / %s | %s / %s | %s / %s | %s / %s | %d (%d) | %d | %d |%n",
                    r.n, s(p(r.toRecordedStart, 0.5)), s(p(r.toRecordedStart, 0.99)), s(p(r.queueWait, 0.5)),
                    s(p(r.queueWait, 0.99)), s(p(r.taskToFirstStep, 0.5)), s(p(r.taskToFirstStep, 0.99)),
                    s(p(r.toFirstStep, 0.5)), s(p(r.toFirstStep, 0.99)), r.startToClose, r.withStartToClose,
                    r.scheduleToStart, r.taskFailures));
        }
        m.append('\n');
        m.append("Who used the machine's CPUs while the recoveries ran (CPU seconds per process group from /proc, ")
                .append("sampled every 500 ms, from the first start call to the last result; \"idle\" is the ")
                .append("machine's idle time):\n\n| N | ").append(String.join(" | ", CpuByProcess.GROUPS))
                .append(" |\n|---:|").append("---:|".repeat(CpuByProcess.GROUPS.size())).append('\n');
        for (Row r : rows) {
            m.append("| ").append(r.n).append(" |");
            for (String g : CpuByProcess.GROUPS) {
                Double v = r.cpuByGroup.get(g);
                m.append(v == null ? " - |" : String.format(Locale.ROOT, " %.1f s |", v));
            }
            m.append('\n');
        }
        m.append('\n');
        Row last = rows.get(rows.size() - 1);
        if (last.broken != null) {
            m.append("**First to break: at N=").append(last.n).append(": ").append(last.broken).append("**\n");
        } else {
            m.append("**Every N carried: all RECOVERED within the RTO, worker RSS within ").append(RSS_LIMIT_MB)
                    .append(" MB.**\n");
        }
        for (Row r : rows) {
            if (!r.toFirstStep.isEmpty() && p(r.toFirstStep, 0.99) > FIRST_STEP_GOAL_MILLIS) {
                m.append("\nTime to first step over the goal (p99 ").append(FIRST_STEP_GOAL_MILLIS / 1000)
                        .append(" s) at N=").append(r.n).append(": ").append(s(p(r.toFirstStep, 0.99))).append('\n');
            }
        }
        return m.toString();
    }

    private static long memTotalMb() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }
}
