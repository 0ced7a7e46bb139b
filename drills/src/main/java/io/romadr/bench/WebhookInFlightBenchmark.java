package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.drill.DrillEnvironment;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.cluster.PostgresDatabases;
import io.romadr.worker.cluster.TemporalServerProcess;
import io.romadr.worker.host.RomaDrApplication;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-flight alert webhook figure of docs/benchmarks.md (section 2): {@code --in-flight} alerts posted to
 * {@code POST /webhooks/alertmanager} at the same instant (one client thread each, released together), each for a
 * plan of its own so that every one starts a recovery; per alert, request sent -> the workflow's start time as
 * Temporal records it. Baseline: the same number of {@code WorkflowClient.start} calls of the same workflow at the
 * same instant. The two sides alternate by round (webhook first in even rounds); after each side its recoveries are
 * terminated. Temporal is the host's embedded server ({@code --server embedded}) or the Go-built server with
 * PostgreSQL persistence and visibility ({@code --server go}, the worker tests' cluster harness). Client, host and
 * server share one clock. Prints a markdown block to stdout, progress to stderr.
 */
public final class WebhookInFlightBenchmark {
    private static final String TASK_QUEUE = "roma-dr-bench-inflight";
    private static final String TOKEN = "bench-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final int inFlight;
    private final ExecutorService clients;

    private WebhookInFlightBenchmark(int inFlight) {
        this.inFlight = inFlight;
        this.clients = Executors.newFixedThreadPool(inFlight);
    }

    public static void main(String[] args) throws Exception {
        int inFlight = 200;
        int rounds = 5;
        String server = "embedded";
        String command = BenchmarkSupport.command(WebhookInFlightBenchmark.class, args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--server" -> server = args[++i];
                default -> {
                    System.err.println("usage: WebhookInFlightBenchmark [--in-flight 200] [--rounds 5] "
                            + "[--server embedded|go]");
                    System.exit(2);
                }
            }
        }
        if (inFlight < 1 || rounds < 1 || !List.of("embedded", "go").contains(server)) {
            throw new IllegalArgumentException("--in-flight and --rounds at least 1, --server embedded or go");
        }
        try {
            System.out.print(new WebhookInFlightBenchmark(inFlight).run(rounds, server, command));
            System.out.flush();
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the host's and the SDK's non-daemon threads must not keep the JVM alive
    }

    private String run(int rounds, String server, String command) throws Exception {
        DockerClient docker = DrillEnvironment.docker("benchmark");
        String image = SandboxImage.ensure(docker);
        Path work = Files.createTempDirectory("roma-dr-webhook-inflight-");
        String run = UUID.randomUUID().toString().substring(0, 6);
        SandboxService sandbox = SandboxService.create(docker, "romadr-whflight-" + run, image,
                SandboxService.Options.defaults());
        PostgresDatabases dbs = null;
        TemporalServerProcess go = null;
        try {
            String temporalSettings;
            String serverLine;
            if (server.equals("go")) {
                dbs = PostgresDatabases.create("romadr_whbench", work);
                go = TemporalServerProcess.start(Files.createDirectories(work.resolve("server")),
                        new TemporalServerProcess.Postgres(dbs));
                temporalSettings = "temporal: {address: '" + go.address() + "', taskQueue: " + TASK_QUEUE + "}";
                serverLine = "Temporal server " + go.version() + " (Go build, all services in one process, on "
                        + "127.0.0.1), " + go.database();
            } else {
                temporalSettings = "temporal: {embedded: true, embeddedPort: " + WebhookBenchmark.freePort()
                        + ", taskQueue: " + TASK_QUEUE + "}";
                serverLine = "embedded Temporal (the SDK's in-memory test server, in the benchmark's JVM)";
            }
            Path plans = Files.createDirectories(work.resolve("plans"));
            StringBuilder routes = new StringBuilder();
            for (int i = 0; i < inFlight; i++) {
                Files.writeString(plans.resolve(plan(i) + ".yaml"),
                        sandbox.planYaml(plan(i), "15m", "30s", "100ms", "10s", "0s", "1s"));
                routes.append("      - matchers: {alertname: RomaDown, slot: '").append(i).append("'}\n")
                        .append("        plan: ").append(plan(i)).append('\n');
            }
            int appPort = WebhookBenchmark.freePort();
            Path token = Files.writeString(work.resolve("token"), TOKEN);
            Path config = Files.writeString(work.resolve("worker.yml"), String.join("\n",
                    "server:",
                    "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: " + appPort + "}]",
                    "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: " + WebhookBenchmark.freePort()
                            + "}]",
                    "  requestLog: {appenders: []}",
                    // terminated recoveries make the worker warn with stack traces: not what is measured here
                    "logging: {level: WARN, appenders: [{type: console, target: stderr}],",
                    "  loggers: {io.temporal: ERROR, com.github.dockerjava: 'OFF'}}",
                    temporalSettings,
                    "plansDir: '" + plans + "'",
                    "webhooks:",
                    "  alertmanager:",
                    "    auth: {bearerTokenFile: '" + token + "'}",
                    "    routes:",
                    routes.toString()));
            new RomaDrApplication().run("server", config.toString()); // returns once Jetty and the worker run
            URI webhook = URI.create("http://127.0.0.1:" + appPort + "/webhooks/alertmanager");
            String address = go != null ? go.address() : embeddedAddress(config);
            try (TemporalConnection temporal = new TemporalConnection(address, "default")) {
                Samples hook = new Samples();
                Samples direct = new Samples();
                for (int r = 0; r <= rounds; r++) { // round 0 warms both sides up and is not counted
                    Samples h = r == 0 ? new Samples() : hook;
                    Samples d = r == 0 ? new Samples() : direct;
                    if (r % 2 == 0) {
                        webhookRound(temporal, webhook, run + "r" + r, h);
                        directRound(temporal, run + "r" + r, d);
                    } else {
                        directRound(temporal, run + "r" + r, d);
                        webhookRound(temporal, webhook, run + "r" + r, h);
                    }
                    System.err.printf(Locale.ROOT, "round %d/%d: webhook p99 %.1f ms, baseline p99 %.1f ms%n", r,
                            rounds, p(h.toStart, 0.99), p(d.toStart, 0.99));
                }
                return markdown(rounds, serverLine, hook, direct, command);
            }
        } finally {
            clients.shutdownNow();
            sandbox.destroy();
            if (go != null) {
                go.close();
            }
            if (dbs != null) {
                dbs.close();
            }
            DrillEnvironment.deleteTree(work);
        }
    }

    private static String embeddedAddress(Path config) throws java.io.IOException {
        String yaml = Files.readString(config);
        int at = yaml.indexOf("embeddedPort: ") + "embeddedPort: ".length();
        return "127.0.0.1:" + yaml.substring(at, yaml.indexOf(',', at));
    }

    private static String plan(int i) {
        return String.format(Locale.ROOT, "bench-inflight-%03d", i);
    }

    /** What one side measured, microseconds per start. */
    private static final class Samples {
        final List<Long> toResponse = Collections.synchronizedList(new ArrayList<>());
        final List<Long> toStart = Collections.synchronizedList(new ArrayList<>());
        /** Starts that failed (the first answer of each kind kept): counted, not timed. */
        final AtomicInteger failed = new AtomicInteger();
        final Map<String, String> failures = new ConcurrentHashMap<>();

        /** A failed start of {@code workflowId} (it may have started all the same: it is ended with the others). */
        Sent failed(String workflowId, String kind, String answer) {
            failed.incrementAndGet();
            failures.putIfAbsent(kind, answer.length() > 160 ? answer.substring(0, 160) + "..." : answer);
            return new Sent(workflowId, null);
        }
    }

    private record Sent(String workflowId, Instant sent) {
    }

    /** All alerts at once; then each one's recorded start time, then every recovery terminated. */
    private void webhookRound(TemporalConnection temporal, URI webhook, String round, Samples samples)
            throws Exception {
        List<Sent> sent = together(i -> {
            String body = payload(round + "-" + i, i);
            HttpRequest request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            Instant at = Instant.now();
            long t0 = System.nanoTime();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0);
            JsonNode answer = JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"started".equals(answer.at("/alerts/0/action").asText())) {
                return samples.failed(RecoveryStarter.workflowId("service-failure", plan(i)),
                        "HTTP " + r.statusCode() + " " + answer.at("/alerts/0/action").asText(""), r.body());
            }
            samples.toResponse.add(micros);
            return new Sent(answer.at("/alerts/0/workflowId").asText(), at);
        });
        recordAndTerminate(temporal, sent, samples);
    }

    /** The baseline: the same number of {@code WorkflowClient.start} calls at once. */
    private void directRound(TemporalConnection temporal, String round, Samples samples) throws Exception {
        List<Sent> sent = together(i -> {
            String id = "bench-direct-" + round + "-" + i;
            ServiceRecoveryWorkflow wf = temporal.client().newWorkflowStub(ServiceRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id).build());
            Instant at = Instant.now();
            long t0 = System.nanoTime();
            try {
                WorkflowClient.start(wf::recover, new ServiceRecoveryRequest(plan(i), "benchmark baseline", "bench"));
            } catch (RuntimeException e) {
                return samples.failed(id, e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
            }
            samples.toResponse.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
            return new Sent(id, at);
        });
        recordAndTerminate(temporal, sent, samples);
    }

    private interface Call {
        Sent call(int i) throws Exception;
    }

    /** Runs {@code inFlight} calls on their own threads, released at the same instant once all are waiting. */
    private List<Sent> together(Call call) throws Exception {
        CountDownLatch ready = new CountDownLatch(inFlight);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Sent>> futures = new ArrayList<>();
        for (int i = 0; i < inFlight; i++) {
            int index = i;
            futures.add(clients.submit(() -> {
                ready.countDown();
                go.await();
                return call.call(index);
            }));
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("client threads not ready within 60 s");
        }
        go.countDown();
        List<Sent> sent = new ArrayList<>();
        for (Future<Sent> f : futures) {
            sent.add(f.get(120, TimeUnit.SECONDS));
        }
        return sent;
    }

    private void recordAndTerminate(TemporalConnection temporal, List<Sent> sent, Samples samples) throws Exception {
        List<Future<?>> done = new ArrayList<>();
        for (Sent s : sent) {
            done.add(clients.submit(() -> {
                if (s.sent() != null) { // null: failed, counted, not timed
                    var info = temporal.service().blockingStub().describeWorkflowExecution(
                            DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(s.workflowId()))
                                    .build())
                            .getWorkflowExecutionInfo();
                    samples.toStart.add(ChronoUnit.MICROS.between(s.sent(), Instant.ofEpochSecond(
                            info.getStartTime().getSeconds(), info.getStartTime().getNanos())));
                }
                // one recovery per plan at a time: end this one so the next round starts a new one
                try {
                    temporal.client().newUntypedWorkflowStub(s.workflowId())
                            .terminate("benchmark: only the start is measured");
                } catch (WorkflowNotFoundException finishedAlready) {
                    // the recovery found the sandbox healthy and ended by itself
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
    }

    private static String payload(String fingerprint, int slot) {
        ObjectNode p = JSON.createObjectNode();
        Map<String, String> labels = Map.of("alertname", "RomaDown", "service", "roma", "slot", String.valueOf(slot));
        p.put("version", "4").put("groupKey", "{}:{alertname=\"RomaDown\", slot=\"" + slot + "\"}")
                .put("truncatedAlerts", 0).put("status", "firing").put("receiver", "roma-dr")
                .put("externalURL", "http://127.0.0.1:9093");
        p.set("groupLabels", JSON.valueToTree(Map.of("alertname", "RomaDown", "slot", String.valueOf(slot))));
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

    private static double p(List<Long> micros, double q) {
        return micros.isEmpty() ? 0 : rank(sorted(micros), q) / 1000.0;
    }

    private String markdown(int rounds, String serverLine, Samples hook, Samples direct, String command) {
        StringBuilder m = new StringBuilder();
        m.append("### Alert webhook, ").append(inFlight).append(" alerts in flight: webhook -> workflow started\n\n");
        m.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT))).append('\n');
        m.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(Runtime.version()).append('\n');
        m.append("- Command: `").append(command).append("`\n");
        m.append("- Temporal: ").append(serverLine).append("; the worker host (`RomaDrApplication`) in the ")
                .append("benchmark's JVM, sandbox service; all on 127.0.0.1\n\n");
        m.append(rounds).append(" rounds after one uncounted warm-up round. Each round, each side: ").append(inFlight)
                .append(" starts released at the same instant from ").append(inFlight).append(" client threads, ")
                .append("each for a plan of its own (so every one starts a recovery); the webhook side posts one ")
                .append("Alertmanager v4 payload per alert to `POST /webhooks/alertmanager`, the baseline calls ")
                .append("`WorkflowClient.start` of `ServiceRecoveryWorkflow` (same plans, same task queue). Sides ")
                .append("alternate (webhook first in even rounds); each side's recoveries are terminated after it.\n\n");
        m.append("Starts that failed (not timed): webhook ").append(hook.failed.get()).append(hook.failures)
                .append(", baseline ").append(direct.failed.get()).append(direct.failures).append(" of ")
                .append(rounds * inFlight).append(" each.\n\n");
        m.append("| measured | n | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
        row(m, "webhook: request sent -> response received (\"started\")", hook.toResponse);
        row(m, "webhook: request sent -> workflow start time recorded by Temporal", hook.toStart);
        row(m, "baseline `WorkflowClient.start`: call -> return", direct.toResponse);
        row(m, "baseline `WorkflowClient.start`: call -> start time recorded by Temporal", direct.toStart);
        m.append('\n');
        m.append(String.format(Locale.ROOT, "**Ratio webhook / baseline to the recorded start: %.2fx at p50, %.2fx "
                + "at p99.**%n", p(hook.toStart, 0.5) / p(direct.toStart, 0.5),
                p(hook.toStart, 0.99) / p(direct.toStart, 0.99)));
        return m.toString();
    }

    private static void row(StringBuilder m, String name, List<Long> v) {
        if (v.isEmpty()) {
            m.append("| ").append(name).append(" | 0 | - | - | - |\n");
            return;
        }
        long[] s = sorted(v);
        m.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f |%n", name, s.length,
                rank(s, 0.50) / 1000.0, rank(s, 0.99) / 1000.0, s[s.length - 1] / 1000.0));
    }
}
