package io.romadr.bench;

import static io.romadr.bench.BenchmarkSupport.rank;
import static io.romadr.bench.BenchmarkSupport.sorted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.poll.Deadline;
import io.romadr.activities.registry.ApiImages;
import io.romadr.activities.registry.Manifest;
import io.romadr.activities.registry.RegistryClient;
import io.romadr.activities.registry.RegistryCredentials;
import io.romadr.activities.registry.RegistryImageActivities;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.backup.ImageMirrorRequest;
import io.romadr.backup.ImageMirrorResult;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RegistryEndpoint;
import io.romadr.worker.host.RomaDrApplication;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Image push -> mirrored (docs/benchmarks.md section 12): the primary registry (Debian's {@code docker-registry})
 * notifies the worker host ({@code POST /webhooks/registry}, embedded Temporal, production activities) and a probe
 * endpoint of this benchmark that only notes when each event arrives. Per event: a new image of one random layer of
 * {@code SIZE_MIB} is uploaded (blobs, not timed), then its tag is pushed (the manifest PUT: the moment {@code docker
 * push} ends) and the backup registry is polled every 20 ms until it has the tag. Baseline, alternating with it: the
 * same kind of new image pushed to another repository and copied at once by the project's own mirror activity
 * ({@code RegistryImageActivities.mirrorRepository}, called directly: no notification, no Temporal). Also: push ->
 * the probe received the registry's event (the registry's notification delivery itself). Usage:
 * {@code RegistryEventBenchmark [EVENTS] [SIZE_MIB] [WARMUP]}. Run by bench/registry-event-benchmark.sh.
 */
public final class RegistryEventBenchmark {
    private static final String PLAN = "bench";
    private static final String REPO = "bench/app";
    private static final String BASE_REPO = "bench/base";
    private static final String TOKEN = "bench-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MIRRORED_WITHIN = Duration.ofMinutes(2);

    private final Map<String, Long> delivered = new ConcurrentHashMap<>();

    private RegistryEventBenchmark() {
    }

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int sizeMib = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        try {
            System.out.print(new RegistryEventBenchmark().run(events, sizeMib, warmup,
                    BenchmarkSupport.command(RegistryEventBenchmark.class, args)));
            System.out.flush();
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // the host's and the SDK's non-daemon threads must not keep the JVM alive
    }

    private String run(int events, int sizeMib, int warmup, String command) throws Exception {
        long size = (long) sizeMib << 20;
        Path work = Files.createTempDirectory("roma-dr-registry-event-bench-");
        HttpServer probe = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        probe.createContext("/", exchange -> {
            long at = System.nanoTime();
            try (exchange) {
                JsonNode envelope = JSON.readTree(exchange.getRequestBody());
                for (JsonNode e : envelope.path("events")) {
                    String tag = e.path("target").path("tag").asText("");
                    if ("push".equals(e.path("action").asText()) && !tag.isEmpty()) {
                        delivered.putIfAbsent(tag, at);
                    }
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        probe.start();
        int appPort = LocalServerProcess.freePort();
        String endpoints = """
                notifications:
                  endpoints:
                    - name: roma-dr
                      url: http://127.0.0.1:%d/webhooks/registry
                      headers:
                        Authorization: [Bearer %s]
                      timeout: 1s
                      threshold: 5
                      backoff: 1s
                    - name: probe
                      url: http://127.0.0.1:%d/
                      timeout: 1s
                      threshold: 5
                      backoff: 1s
                """.formatted(appPort, TOKEN, probe.getAddress().getPort());
        try (RegistryServer backup = RegistryServer.start(); RegistryServer primary = RegistryServer.start(endpoints)) {
            Path plans = Files.createDirectories(work.resolve("plans"));
            Files.writeString(plans.resolve(PLAN + ".yaml"), """
                    name: %s
                    service:
                      composeProject: registry-event-bench
                      containers: [{ service: app }]
                      healthChecks:
                        - name: up
                          exec: { service: app, command: [true], timeout: 5s }
                    rto: { service: 15m }
                    backup:
                      store: { uri: "%s" }
                      images:
                        primary: { url: "%s" }
                        backup: { url: "%s" }
                        repositories: [%s]
                    """.formatted(PLAN, Files.createDirectories(work.resolve("store")).toUri(), primary.url(),
                    backup.url(), REPO));
            Path token = Files.writeString(work.resolve("token"), TOKEN);
            Path config = Files.writeString(work.resolve("worker.yml"), String.join("\n",
                    "server:",
                    "  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: " + appPort + "}]",
                    "  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: " + LocalServerProcess.freePort()
                            + "}]",
                    "  requestLog: {appenders: []}",
                    "logging: {level: WARN, appenders: [{type: console, target: stderr}]}", // stdout is the result
                    "temporal: {embedded: true, embeddedPort: " + LocalServerProcess.freePort()
                            + ", taskQueue: roma-dr-registry-event-bench}",
                    "plansDir: '" + plans + "'",
                    "webhooks:",
                    "  registry: {bearerTokenFile: '" + token + "'}",
                    ""));
            new RomaDrApplication().run("server", config.toString()); // returns once Jetty and the worker run

            RegistryClient src = new RegistryClient(primary.url(), RegistryCredentials.NONE);
            RegistryClient dst = new RegistryClient(backup.url(), RegistryCredentials.NONE);
            RegistryImageActivities activities = new RegistryImageActivities(System::getenv);
            // the plan's deployment tag, mirrored by every run besides the pushed tag
            ApiImages.push(src, REPO, "latest", 1 << 20, 0);
            waitForTag(dst, REPO, "latest");

            List<Long> lag = new ArrayList<>();
            List<Long> delivery = new ArrayList<>();
            List<Long> baseline = new ArrayList<>();
            for (int i = 0; i < warmup + events; i++) {
                boolean counted = i >= warmup;
                for (int k = 0; k < 2; k++) {
                    if ((i + k) % 2 == 0) {
                        String tag = "ev-" + i;
                        Manifest image = ApiImages.upload(src, REPO, size, 1000 + i);
                        long t0 = System.nanoTime();
                        ApiImages.tag(src, REPO, tag, image);
                        waitForTag(dst, REPO, tag);
                        long t1 = System.nanoTime();
                        Long at = waitForDelivery(tag);
                        if (counted) {
                            lag.add(TimeUnit.NANOSECONDS.toMillis(t1 - t0));
                            delivery.add(TimeUnit.NANOSECONDS.toMillis(at - t0));
                        }
                    } else {
                        String tag = "base-" + i;
                        Manifest image = ApiImages.upload(src, BASE_REPO, size, 5000 + i);
                        ApiImages.tag(src, BASE_REPO, tag, image);
                        ImageBackupSpec spec = new ImageBackupSpec(new RegistryEndpoint(primary.url().toString(),
                                null, null), new RegistryEndpoint(backup.url().toString(), null, null),
                                List.of(BASE_REPO), List.of(tag), null, null);
                        long t0 = System.nanoTime();
                        ImageMirrorResult r = activities.mirrorRepository(new ImageMirrorRequest(PLAN, spec,
                                BASE_REPO, String.format(Locale.ROOT, "20261207-%06d", i)));
                        long t1 = System.nanoTime();
                        if (!r.ok()) {
                            throw new IllegalStateException("baseline copy failed: " + r);
                        }
                        if (counted) {
                            baseline.add(TimeUnit.NANOSECONDS.toMillis(t1 - t0));
                        }
                    }
                }
                System.err.printf(Locale.ROOT, "event %d/%d: lag %s ms, delivery %s ms, baseline %s ms%n", i + 1,
                        warmup + events, last(lag), last(delivery), last(baseline));
            }
            return report(events, sizeMib, warmup, lag, delivery, baseline, command);
        } finally {
            probe.stop(0);
        }
    }

    private static String last(List<Long> v) {
        return v.isEmpty() ? "-" : String.valueOf(v.get(v.size() - 1));
    }

    private static void waitForTag(RegistryClient registry, String repository, String tag) throws Exception {
        Deadline deadline = Deadline.after(MIRRORED_WITHIN);
        while (registry.manifestDigest(repository, tag).isEmpty()) {
            if (deadline.passed()) {
                throw new IllegalStateException(repository + ":" + tag + " not mirrored within "
                        + MIRRORED_WITHIN.toSeconds() + " s");
            }
            Deadline.pause(deadline.next(Duration.ofMillis(20)));
        }
    }

    private Long waitForDelivery(String tag) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (!delivered.containsKey(tag)) {
            if (deadline.passed()) {
                throw new IllegalStateException("the probe endpoint never received the push of " + tag);
            }
            Deadline.pause(deadline.next(Duration.ofMillis(5)));
        }
        return delivered.get(tag);
    }

    private static String report(int events, int sizeMib, int warmup, List<Long> lag, List<Long> delivery,
            List<Long> baseline, String command) {
        long[] l = sorted(lag);
        long[] d = sorted(delivery);
        long[] b = sorted(baseline);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Image push -> mirrored: %d events (after %d warm-up), each a new tag of a "
                + "new %d MiB image (one random layer), alternating with the baseline; all on 127.0.0.1%n%n", events,
                warmup, sizeMib));
        s.append("| | p50 | p99 | max |\n| --- | --- | --- | --- |\n");
        s.append(row("push -> tag in the backup registry (roma-dr, registry events)", l));
        s.append(row("push -> the registry's event received (notification delivery)", d));
        s.append(row("baseline: the mirror activity called directly, same kind of image", b));
        s.append(String.format(Locale.ROOT, "%nRatio push -> mirrored / baseline copy, p50: %.2f (%d ms / %d ms); "
                + "p99: %.2f. Goal p99 <= 30 s: %s (p99 %.1f s).%n", (double) rank(l, 0.5) / rank(b, 0.5),
                rank(l, 0.5), rank(b, 0.5), (double) rank(l, 0.99) / rank(b, 0.99),
                rank(l, 0.99) <= 30_000 ? "met" : "MISSED", rank(l, 0.99) / 1000.0));
        s.append("\nCommand: `").append(command).append("`\n");
        return s.toString();
    }

    private static String row(String what, long[] v) {
        return String.format(Locale.ROOT, "| %s | %d ms | %d ms | %d ms |%n", what, rank(v, 0.5), rank(v, 0.99),
                v[v.length - 1]);
    }
}
