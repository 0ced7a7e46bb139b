package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.median;
import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import io.romadr.activities.docker.HealthWatch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.drill.DrillEnvironment;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.report.StepRecord;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.host.RomaDrApplication;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The alert webhook figures of docs/benchmarks.md, on one machine, in one JVM: the worker host
 * ({@link RomaDrApplication}, embedded Temporal, production Docker activities) on 127.0.0.1, a sandbox service,
 * and a real Prometheus Alertmanager process.
 * <ol>
 *   <li><b>Webhook -> workflow started</b>: {@code --alerts} distinct alerts (distinct fingerprints), each one
 *       Alertmanager v4 payload posted straight to {@code POST /webhooks/alertmanager}, one after the other; each
 *       recovery is terminated once its start is measured, since a plan has one recovery at a time.
 *       Per alert: request sent -> response received (the host answered "started", i.e. Temporal accepted the
 *       start), and request sent -> the workflow's start time as Temporal records it. The host, the embedded
 *       Temporal server and this client share one clock (one JVM). {@code --warmup} alerts before are not counted.
 *   <li><b>Kill -> healthy through Alertmanager</b>: {@code --kills} times: {@code docker kill} of the sandbox's
 *       {@code roma} container, at once an alert for it posted to Alertmanager's v2 API (detection by Prometheus is
 *       not part of this), Alertmanager holds the new group for group_wait and calls the webhook, the recovery
 *       restarts the container; timed from the kill until both health URLs answer 200 (polled every 20 ms).
 * </ol>
 * Prints a markdown block to stdout, progress to stderr. Run with {@code bench/webhook-benchmark.sh}.
 * <p>Over 400 lines: one measurement end to end (host, Alertmanager, alerts, kills, report), read in order.
 */
public final class WebhookBenchmark {
    static final String PLAN = "bench-webhook";
    static final String TASK_QUEUE = "roma-dr-bench";
    static final String TOKEN = "bench-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WebhookBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int alerts = 200;
        int warmup = 20;
        int kills = 5;
        Duration groupWait = Duration.ofSeconds(1);
        String command = BenchmarkSupport.command(WebhookBenchmark.class, args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--alerts" -> alerts = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--kills" -> kills = Integer.parseInt(args[++i]);
                case "--group-wait-ms" -> groupWait = Duration.ofMillis(Long.parseLong(args[++i]));
                default -> {
                    System.err.println("usage: WebhookBenchmark [--alerts 200] [--warmup 20] [--kills 5] "
                            + "[--group-wait-ms 1000]");
                    System.exit(2);
                }
            }
        }
        if (alerts < 1 || kills < 1 || warmup < 0) {
            throw new IllegalArgumentException("--alerts and --kills must be at least 1, --warmup at least 0");
        }
        try {
            System.out.print(new WebhookBenchmark().run(alerts, warmup, kills, groupWait, command));
            System.out.flush();
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the host's and the SDK's non-daemon threads must not keep the JVM alive
    }

    private String run(int alerts, int warmup, int kills, Duration groupWait, String command) throws Exception {
        String alertmanager = alertmanagerBinary();
        DockerClient docker = DrillEnvironment.docker("benchmark");
        String dockerVersion = docker.versionCmd().exec().getVersion();
        String amVersion = new String(new ProcessBuilder(alertmanager, "--version").redirectErrorStream(true).start()
                .getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
        String image = SandboxImage.ensure(docker);
        Path work = Files.createTempDirectory("roma-dr-webhook-bench-");
        Path plans = Files.createDirectories(work.resolve("plans"));
        SandboxService sandbox = SandboxService.create(docker, "romadr-whbench-" + UUID.randomUUID().toString()
                .substring(0, 6), image, SandboxService.Options.defaults());
        Process am = null;
        try {
            Files.writeString(plans.resolve(PLAN + ".yaml"),
                    sandbox.planYaml(PLAN, "15m", "30s", "100ms", "10s", "0s", "1s"));
            int appPort = freePort();
            int temporalPort = freePort();
            Path token = Files.writeString(work.resolve("token"), TOKEN);
            Path config = Files.writeString(work.resolve("worker.yml"), String.join("\n",
                    "server:",
                    "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: " + appPort + "}]",
                    "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: " + freePort() + "}]",
                    "  requestLog: {appenders: []}",
                    "logging: {level: WARN}",
                    "temporal: {embedded: true, embeddedPort: " + temporalPort + ", taskQueue: " + TASK_QUEUE + "}",
                    "plansDir: '" + plans + "'",
                    "webhooks:",
                    "  alertmanager:",
                    "    auth: {bearerTokenFile: '" + token + "'}",
                    "    routes:",
                    "      - matchers: {alertname: RomaDown, service: roma}",
                    "        plan: " + PLAN,
                    ""));
            new RomaDrApplication().run("server", config.toString()); // returns once Jetty and the worker run
            URI webhook = URI.create("http://127.0.0.1:" + appPort + "/webhooks/alertmanager");
            try (TemporalConnection temporal = new TemporalConnection("127.0.0.1:" + temporalPort, "default")) {
                // ---- 1. webhook -> workflow started --------------------------------------------------------
                String prefix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
                List<Long> toResponse = new ArrayList<>();
                List<Long> toStart = new ArrayList<>();
                List<Long> directToResponse = new ArrayList<>();
                List<Long> directToStart = new ArrayList<>();
                for (int i = 0; i < warmup + alerts; i++) {
                    // Baseline, alternating with the webhook: the same start straight through the SDK's client.
                    if (i % 2 == 1) {
                        direct(temporal, prefix, i, i >= warmup, directToResponse, directToStart);
                    }
                    String fp = prefix + String.format(Locale.ROOT, "%08x", i);
                    String body = payload(fp, i);
                    Instant sent = Instant.now();
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    long rtt = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
                    JsonNode answer = JSON.readTree(r.body());
                    if (r.statusCode() != 200 || !"started".equals(answer.at("/alerts/0/action").asText())) {
                        throw new IllegalStateException("alert " + i + ": HTTP " + r.statusCode() + " " + r.body());
                    }
                    String workflowId = answer.at("/alerts/0/workflowId").asText();
                    var info = temporal.service().blockingStub().describeWorkflowExecution(
                            DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                            .getWorkflowExecutionInfo();
                    Instant started = Instant.ofEpochSecond(info.getStartTime().getSeconds(),
                            info.getStartTime().getNanos());
                    if (i >= warmup) {
                        toResponse.add(rtt);
                        toStart.add(ChronoUnit.MICROS.between(sent, started));
                    }
                    // One recovery per plan at a time: end this one so the next alert starts a new one.
                    temporal.client().newUntypedWorkflowStub(workflowId)
                            .terminate("benchmark: only the start is measured");
                    if (i % 2 == 0) {
                        direct(temporal, prefix, i, i >= warmup, directToResponse, directToStart);
                    }
                    if ((i + 1) % 50 == 0) {
                        System.err.printf(Locale.ROOT, "alerts: %d/%d%n", i + 1, warmup + alerts);
                    }
                }
                awaitQuiet(temporal, Duration.ofMinutes(5));

                // ---- 2. kill -> healthy through Alertmanager -----------------------------------------------
                Path amDir = Files.createDirectories(work.resolve("alertmanager"));
                int amPort = freePort();
                Files.writeString(amDir.resolve("alertmanager.yml"), String.join("\n",
                        "route:",
                        "  receiver: roma-dr",
                        "  group_by: [alertname, service, incident]",
                        "  group_wait: " + groupWait.toMillis() + "ms",
                        "  group_interval: 1s",
                        "  repeat_interval: 1h",
                        "receivers:",
                        "  - name: roma-dr",
                        "    webhook_configs:",
                        "      - url: '" + webhook + "'",
                        "        send_resolved: true",
                        "        http_config:",
                        "          authorization: {type: Bearer, credentials_file: '" + token + "'}",
                        ""));
                am = new ProcessBuilder(alertmanager, "--config.file=" + amDir.resolve("alertmanager.yml"),
                        "--storage.path=" + amDir.resolve("data"), "--web.listen-address=127.0.0.1:" + amPort,
                        "--cluster.listen-address=").redirectErrorStream(true)
                        .redirectOutput(amDir.resolve("alertmanager.log").toFile()).start();
                URI amBase = URI.create("http://127.0.0.1:" + amPort);
                awaitReady(amBase, am, amDir.resolve("alertmanager.log"));

                List<Long> killToHealthy = new ArrayList<>();
                List<Long> postToStart = new ArrayList<>();
                List<Long> startToHealthy = new ArrayList<>();
                Map<String, List<Long>> steps = new java.util.LinkedHashMap<>();
                List<String> urls = List.of(sandbox.healthUrl("roma"), sandbox.healthUrl("roma-api"));
                for (int k = 0; k <= kills; k++) { // k = 0 is the warm-up
                    sandbox.awaitHealthy(Duration.ofSeconds(30));
                    String incident = prefix + "-" + k;
                    long t0 = System.nanoTime();
                    Instant killedAt = Instant.now();
                    sandbox.kill("roma");
                    awaitExited(docker, sandbox.containerId("roma"));
                    Instant posted = Instant.now();
                    postAlert(amBase, incident);
                    long healthyNanos = HealthWatch.awaitAllOk(urls, Duration.ofMillis(20), Duration.ofSeconds(60))
                            - t0;
                    ServiceRecoveryReport report = awaitRecovery(temporal, posted, Duration.ofSeconds(60));
                    if (report.outcome() != Outcome.RECOVERED) {
                        throw new IllegalStateException("kill " + k + ": " + report.summary());
                    }
                    long requested = report.incident() == null ? report.startedAt() : report.incident().requestedAt();
                    Instant wfStart = Instant.ofEpochMilli(requested);
                    long kh = TimeUnit.NANOSECONDS.toMillis(healthyNanos);
                    long killMs = killedAt.toEpochMilli();
                    System.err.printf(Locale.ROOT, "%s %d: kill -> healthy %d ms; after the kill: workflow start %d "
                            + "ms, %s%n", k == 0 ? "warmup" : "kill  ", k, kh, requested - killMs,
                            report.timeline().stream().map(st -> st.step() + " " + (st.startedAt() - killMs) + "-"
                                    + (st.endedAt() - killMs)).toList());
                    if (k > 0) {
                        killToHealthy.add(kh);
                        postToStart.add(Duration.between(posted, wfStart).toMillis());
                        startToHealthy.add(kh - Duration.between(killedAt, wfStart).toMillis());
                        Map<String, Long> perRun = new java.util.LinkedHashMap<>();
                        for (StepRecord st : report.timeline()) {
                            perRun.merge(st.step(), st.durationMillis(), Long::sum);
                        }
                        perRun.forEach((name, ms) -> steps.computeIfAbsent(name, x -> new ArrayList<>()).add(ms));
                    }
                }
                return markdown(alerts, warmup, toResponse, toStart, directToResponse, directToStart, kills,
                        groupWait, killToHealthy, postToStart, startToHealthy, steps, dockerVersion, amVersion,
                        command);
            }
        } finally {
            if (am != null) {
                am.destroy();
                am.waitFor(10, TimeUnit.SECONDS);
            }
            sandbox.destroy();
            DrillEnvironment.deleteTree(work);
        }
    }

    /** Starts one recovery with {@code WorkflowClient.start} (no webhook); records the same two times. */
    private static void direct(TemporalConnection temporal, String prefix, int i, boolean counted,
            List<Long> toResponse, List<Long> toStart) {
        String id = "bench-direct-" + prefix + "-" + i;
        ServiceRecoveryWorkflow wf = temporal.client().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
        Instant sent = Instant.now();
        long t0 = System.nanoTime();
        WorkflowClient.start(wf::recover, new ServiceRecoveryRequest(PLAN, "benchmark baseline", "bench"));
        long rtt = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
        var info = temporal.service().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getWorkflowExecutionInfo();
        if (counted) {
            toResponse.add(rtt);
            toStart.add(ChronoUnit.MICROS.between(sent, Instant.ofEpochSecond(info.getStartTime().getSeconds(),
                    info.getStartTime().getNanos())));
        }
    }

    private static String payload(String fingerprint, int i) {
        ObjectNode p = JSON.createObjectNode();
        Map<String, String> labels = Map.of("alertname", "RomaDown", "service", "roma", "instance", "bench-" + i);
        p.put("version", "4").put("groupKey", "{}:{alertname=\"RomaDown\", service=\"roma\"}")
                .put("truncatedAlerts", 0).put("status", "firing").put("receiver", "roma-dr")
                .put("externalURL", "http://127.0.0.1:9093");
        p.set("groupLabels", JSON.valueToTree(Map.of("alertname", "RomaDown", "service", "roma")));
        p.set("commonLabels", JSON.valueToTree(labels));
        p.set("commonAnnotations", JSON.valueToTree(Map.of("summary", "benchmark")));
        ObjectNode a = JSON.createObjectNode().put("status", "firing").put("startsAt", Instant.now().toString())
                .put("endsAt", "0001-01-01T00:00:00Z").put("generatorURL", "http://127.0.0.1/bench")
                .put("fingerprint", fingerprint);
        a.set("labels", JSON.valueToTree(labels));
        a.set("annotations", JSON.valueToTree(Map.of("summary", "benchmark")));
        p.set("alerts", JSON.createArrayNode().add(a));
        return p.toString();
    }

    private static void postAlert(URI am, String incident) throws IOException, InterruptedException {
        ObjectNode a = JSON.createObjectNode();
        a.set("labels", JSON.valueToTree(Map.of("alertname", "RomaDown", "service", "roma", "incident", incident)));
        a.set("annotations", JSON.valueToTree(Map.of("summary", "roma container killed (benchmark)")));
        a.put("startsAt", Instant.now().toString()).put("generatorURL", "http://127.0.0.1/bench");
        ArrayNode body = JSON.createArrayNode().add(a);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(am.resolve("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /api/v2/alerts: HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /** Waits until no ServiceRecoveryWorkflow is open (the alerts' recoveries have finished). */
    private static void awaitQuiet(TemporalConnection temporal, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (openRecoveries(temporal) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("recoveries still running after " + timeout);
            }
            BenchmarkSupport.sleep(200);
        }
    }

    private static int openRecoveries(TemporalConnection temporal) {
        return temporal.service().blockingStub().listOpenWorkflowExecutions(
                io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default").setMaximumPageSize(1000)
                        .setStartTimeFilter(io.temporal.api.filter.v1.StartTimeFilter.newBuilder()
                                .setEarliestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(0))
                                .setLatestTime(com.google.protobuf.Timestamp.newBuilder()
                                        .setSeconds(Instant.now().getEpochSecond() + 3600)))
                        .build())
                .getExecutionsCount();
    }

    /** The result of the one recovery started at or after {@code since} (the kill's alert started it). */
    private static ServiceRecoveryReport awaitRecovery(TemporalConnection temporal, Instant since, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var filter = io.temporal.api.filter.v1.StartTimeFilter.newBuilder()
                .setEarliestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(since.getEpochSecond())
                        .setNanos(since.getNano()))
                .setLatestTime(com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(Instant.now().getEpochSecond() + 3600))
                .build();
        var stub = temporal.service().blockingStub();
        while (true) {
            List<io.temporal.api.workflow.v1.WorkflowExecutionInfo> runs = new ArrayList<>();
            runs.addAll(stub.listOpenWorkflowExecutions(
                    io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest.newBuilder()
                            .setNamespace("default").setMaximumPageSize(100).setStartTimeFilter(filter).build())
                    .getExecutionsList());
            runs.addAll(stub.listClosedWorkflowExecutions(
                    io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest.newBuilder()
                            .setNamespace("default").setMaximumPageSize(100).setStartTimeFilter(filter).build())
                    .getExecutionsList());
            // the SDK's test server ignores the start time filter: filter here too
            runs.removeIf(r -> Instant.ofEpochSecond(r.getStartTime().getSeconds(), r.getStartTime().getNanos())
                    .isBefore(since));
            if (runs.size() > 1) {
                throw new IllegalStateException("one alert started " + runs.size() + " recoveries");
            }
            if (runs.size() == 1) {
                var e = runs.get(0).getExecution();
                return temporal.client().newUntypedWorkflowStub(e.getWorkflowId(),
                        java.util.Optional.of(e.getRunId()), java.util.Optional.empty())
                        .getResult(timeout.toSeconds(), TimeUnit.SECONDS, ServiceRecoveryReport.class);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no recovery started within " + timeout);
            }
            BenchmarkSupport.sleep(20);
        }
    }

    /** Polls the engine until the killed container is really exited (so no probe can still reach it). */
    private static void awaitExited(DockerClient docker, String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var st = docker.inspectContainerCmd(id).exec().getState();
            if (!Boolean.TRUE.equals(st.getRunning()) && "exited".equals(st.getStatus())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("container " + id + " did not exit: " + st.getStatus());
            }
            BenchmarkSupport.sleep(10);
        }
    }

    private static void awaitReady(URI base, Process p, Path log) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Alertmanager exited: " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            BenchmarkSupport.sleep(50);
        }
        throw new IllegalStateException("Alertmanager not ready within 30 s: " + Files.readString(log));
    }

    static String alertmanagerBinary() {
        String env = System.getenv("ROMA_DR_ALERTMANAGER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, name))) {
                    return Path.of(d, name).toString();
                }
            }
        }
        throw new IllegalStateException("Prometheus Alertmanager not found on PATH (apt-get install "
                + "prometheus-alertmanager) and ROMA_DR_ALERTMANAGER not set");
    }

    // ---- output ----------------------------------------------------------------------------------------------

    private static String markdown(int alerts, int warmup, List<Long> toResponseMicros, List<Long> toStartMicros,
            List<Long> directResponseMicros, List<Long> directStartMicros, int kills, Duration groupWait,
            List<Long> killToHealthy, List<Long> postToStart, List<Long> startToHealthy,
            Map<String, List<Long>> steps, String dockerVersion, String amVersion, String command) {
        StringBuilder m = new StringBuilder();
        m.append("### Alert webhooks: webhook -> workflow started, kill -> healthy through Alertmanager\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), Docker ")
                .append(dockerVersion).append(", ").append(amVersion).append(", ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.version")).append(", Java ").append(Runtime.version())
                .append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Host: the worker host (`RomaDrApplication`) in the benchmark's JVM, embedded Temporal (the SDK's ")
                .append("test server), production Docker activities, sandbox service; all on 127.0.0.1\n\n");
        m.append("**Webhook -> workflow started**, ").append(alerts).append(" distinct alerts (one v4 payload each, ")
                .append("distinct fingerprints) posted one after the other to `POST /webhooks/alertmanager`, after ")
                .append(warmup).append(" uncounted warm-up alerts. Every answer was `started`. Baseline, ")
                .append("alternating with the webhook posts (webhook first in even rounds, baseline first in odd ")
                .append("ones): the same start of `ServiceRecoveryWorkflow` (same plan, same task queue) straight ")
                .append("from the SDK's `WorkflowClient.start` in the same JVM, no HTTP. Each started recovery ")
                .append("runs on the host's worker meanwhile (plan: healthy sandbox, watchWindow 0s), so the ")
                .append("starts compete with up to a few hundred light recoveries for the 2 CPUs, both sides ")
                .append("alike.\n\n");
        m.append("| measured | p50 ms | p99 ms | mean ms | max ms |\n|---|---:|---:|---:|---:|\n");
        rowMicros(m, "webhook: request sent -> response received (\"started\")", toResponseMicros);
        rowMicros(m, "webhook: request sent -> workflow start time recorded by Temporal", toStartMicros);
        rowMicros(m, "baseline `WorkflowClient.start`: call -> return", directResponseMicros);
        rowMicros(m, "baseline `WorkflowClient.start`: call -> start time recorded by Temporal", directStartMicros);
        m.append('\n');
        m.append(String.format(Locale.ROOT, "**Ratio webhook / baseline (p50): %.2fx to the response, %.2fx to the "
                + "recorded start.**%n%n",
                (double) rank(sorted(toResponseMicros), 0.5) / rank(sorted(directResponseMicros), 0.5),
                (double) rank(sorted(toStartMicros), 0.5) / rank(sorted(directStartMicros), 0.5)));
        m.append("**Kill -> healthy through the real Alertmanager path**, ").append(kills).append(" runs after one ")
                .append("uncounted warm-up: `docker kill` of `roma`, once the engine reports it exited an alert posted to Alertmanager ")
                .append("(`POST /api/v2/alerts`; no Prometheus scrape/rule delay), Alertmanager `group_wait: ")
                .append(groupWait.toMillis()).append("ms`, `group_interval: 1s` (each run is a new group: ")
                .append("`group_by` includes an `incident` label), webhook with bearer token, recovery by restart; ")
                .append("timed until both health URLs answer 200 (a probe of each every 20 ms on a fresh connection, probes overlapping: `HealthWatch`). Plan: pollInterval 100ms, ")
                .append("watchWindow 0s.\n\n");
        m.append("| measured | median ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|\n");
        rowMillis(m, "kill -> healthy", killToHealthy);
        rowMillis(m, "alert posted -> workflow started (includes group_wait)", postToStart);
        rowMillis(m, "workflow started -> healthy", startToHealthy);
        m.append('\n');
        m.append("The recoveries' timeline steps (workflow time, ms, over the ").append(kills).append(" runs):\n\n");
        m.append("| step | median ms | mean ms | min ms | max ms |\n|---|---:|---:|---:|---:|\n");
        steps.forEach((name, v) -> rowMillis(m, name, v));
        return m.toString();
    }

    private static void rowMicros(StringBuilder m, String name, List<Long> v) {
        long[] s = sorted(v);
        m.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", name, rank(s, 0.50) / 1000.0,
                rank(s, 0.99) / 1000.0, Arrays.stream(s).average().orElse(0) / 1000.0, s[s.length - 1] / 1000.0));
    }

    private static void rowMillis(StringBuilder m, String name, List<Long> v) {
        long[] s = sorted(v);
        int n = s.length;
        m.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %d | %d |%n", name, median(v),
                Arrays.stream(s).average().orElse(0), s[0], s[n - 1]));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }
}
