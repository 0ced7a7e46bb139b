package io.romadr.worker.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dropwizard.testing.DropwizardTestSupport;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.poll.Deadline;
import io.romadr.activities.registry.ApiImages;
import io.romadr.activities.registry.Manifest;
import io.romadr.activities.registry.RegistryClient;
import io.romadr.activities.registry.RegistryCredentials;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.backup.BackupEventsWorkflow;
import io.romadr.backup.ImageMirrorWorkflow;
import io.romadr.worker.host.RomaDrApplication;
import io.romadr.worker.host.RomaDrConfiguration;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registry pushes, end to end on real parts: Debian's {@code docker-registry} as the primary, configured with a
 * {@code notifications:} endpoint pointing at a real worker host ({@code POST /webhooks/registry}, bearer token from
 * a file, embedded Temporal, the production activities), a second registry as the backup. Images are pushed through
 * the registry API; what the test checks is what an SRE would: the pushed tag in the backup registry.
 */
@org.junit.jupiter.api.Tag("integration")
class RegistryEventsEndToEndTest {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String PLAN = "regevents";
    /** A second plan, only for the refused requests: its events workflow must never exist. */
    private static final String OTHER_PLAN = "regevents-other";
    private static final String REPO = "roma-app";
    private static final String OTHER_REPO = "roma-other";
    private static final String TOKEN = "registry-token-" + UUID.randomUUID();
    private static final int BURST = 20;
    private static final Duration MIRRORED_WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path root;
    private static RegistryServer primary;
    private static RegistryServer backup;
    private static DropwizardTestSupport<RomaDrConfiguration> host;
    private static RegistryClient primaryApi;
    private static RegistryClient backupApi;
    private static URI webhook;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("roma-registry-events");
        int hostPort = LocalServerProcess.freePort();
        webhook = URI.create("http://127.0.0.1:" + hostPort + "/webhooks/registry");
        backup = RegistryServer.start();
        // the registry's endpoint as docs/backups.md tells an SRE to configure it
        primary = RegistryServer.start("""
                notifications:
                  endpoints:
                    - name: roma-dr
                      url: %s
                      headers:
                        Authorization: [Bearer %s]
                      timeout: 1s
                      threshold: 5
                      backoff: 1s
                      ignore:
                        actions: [pull]
                """.formatted(webhook, TOKEN));
        primaryApi = new RegistryClient(primary.url(), RegistryCredentials.NONE);
        backupApi = new RegistryClient(backup.url(), RegistryCredentials.NONE);

        Path plans = Files.createDirectories(root.resolve("plans"));
        for (String[] p : List.of(new String[]{PLAN, REPO}, new String[]{OTHER_PLAN, OTHER_REPO})) {
            Files.writeString(plans.resolve(p[0] + ".yaml"), """
                    name: %s
                    service:
                      composeProject: regevents-%s
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
                        release: 1.0.0
                    """.formatted(p[0], RUN, Files.createDirectories(root.resolve("store-" + p[0])).toUri(),
                    primary.url(), backup.url(), p[1]));
        }
        Path token = root.resolve("registry-token");
        Files.writeString(token, TOKEN + "\n");
        Path config = root.resolve("worker.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: %d}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                temporal:
                  embedded: true
                  embeddedPort: %d
                  taskQueue: roma-dr-regevents-%s
                plansDir: '%s'
                webhooks:
                  registry:
                    bearerTokenFile: '%s'
                """.formatted(hostPort, LocalServerProcess.freePort(), RUN, plans, token));
        host = new DropwizardTestSupport<>(RomaDrApplication.class, config.toString());
        host.before();
    }

    @AfterAll
    static void stop() {
        try {
            if (host != null) {
                host.after();
            }
        } finally {
            if (primary != null) {
                primary.close();
            }
            if (backup != null) {
                backup.close();
            }
            deleteTree(root);
        }
    }

    @Test
    void pushedTagsAreMirroredAtOnceAndABurstCoalesces() throws Exception {
        // the deployment tag first: mirrored with its timestamp and release tags, as the scheduled run does
        String latest = ApiImages.push(primaryApi, REPO, "latest", 64 * 1024, 1);
        String v1 = ApiImages.push(primaryApi, REPO, "1.1.0", 64 * 1024, 2);
        assertEquals(latest, waitFor(() -> backupApi.manifestDigest(REPO, "latest"), "latest"));
        assertEquals(v1, waitFor(() -> backupApi.manifestDigest(REPO, "1.1.0"), "1.1.0"));
        // added after the tag it names, in the same activity
        assertEquals(latest, waitFor(() -> backupApi.manifestDigest(REPO, "1.0.0"), "1.0.0"), "release of latest");
        assertTrue(backupApi.listTags(REPO).stream().anyMatch(t -> t.matches("\\d{8}-\\d{6}")),
                "a timestamp tag names latest: " + backupApi.listTags(REPO));

        // the burst: 20 images built, their blobs uploaded, then their 20 tags pushed at once (a CI's last step)
        List<Manifest> images = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            images.add(ApiImages.upload(primaryApi, REPO, 64 * 1024, 100 + i));
        }
        waitForIdle();
        int before = mirrorRuns();
        List<String> digests = new ArrayList<>();
        ExecutorService pushers = Executors.newFixedThreadPool(BURST);
        try {
            List<Future<String>> pushes = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                Manifest image = images.get(i);
                String tag = "burst-" + i;
                pushes.add(pushers.submit(() -> ApiImages.tag(primaryApi, REPO, tag, image)));
            }
            for (Future<String> push : pushes) {
                digests.add(push.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pushers.shutdownNow();
        }
        for (int i = 0; i < BURST; i++) {
            String tag = "burst-" + i;
            assertEquals(digests.get(i), waitFor(() -> backupApi.manifestDigest(REPO, tag), tag), tag);
        }
        waitForIdle();
        int burstRuns = mirrorRuns() - before;
        System.err.println("registry events: " + BURST + " tag pushes at once took " + burstRuns + " mirror run(s)");
        // one run plus follow-ups that each take every event that came meanwhile, never one run per push; the
        // registry delivers its events one at a time, so a burst reaches the host over a second or so (4 runs seen)
        assertTrue(burstRuns >= 1 && burstRuns <= 6, BURST + " pushes took " + burstRuns + " mirror runs");
        // blob pushes are notified too (pulls are not: the config ignores them): answered, ignored, counted
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.getAdminPort()
                + "/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("romadr_backup_events_total{")
                && l.contains("outcome=\"ignored\"") && l.contains("source=\"registry\"")), metrics);
    }

    @Test
    void aRequestWithoutTheTokenStartsNothing() throws Exception {
        String envelope = """
                {"events":[{"id":"forged-%s","timestamp":"2026-12-07T12:00:00Z","action":"push",
                  "target":{"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                    "digest":"sha256:%s","repository":"%s","tag":"forged"},
                  "request":{"host":"127.0.0.1"}}]}
                """.formatted(RUN, "0".repeat(64), OTHER_REPO);
        for (Optional<String> authorization : List.of(Optional.<String>empty(), Optional.of("Bearer wrong-token"),
                Optional.of("Basic " + TOKEN))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(webhook)
                    .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(envelope));
            authorization.ifPresent(a -> request.header("Authorization", a));
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode(), authorization + ": " + response.body());
            assertFalse(response.body().contains(TOKEN), response.body());
        }
        WorkflowClient client = client();
        String id = BackupEventsWorkflow.workflowId("images", OTHER_PLAN);
        assertFalse(exists(client, id), id + " was started");
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temp directory
        }
    }

    private static boolean exists(WorkflowClient client, String workflowId) {
        try {
            client.newUntypedWorkflowStub(workflowId).describe();
            return true;
        } catch (io.temporal.client.WorkflowNotFoundException e) {
            return false;
        }
    }

    private static WorkflowClient client() {
        return ((RomaDrApplication) host.getApplication()).temporal().client();
    }

    private static String waitFor(Supplier<Optional<String>> digest, String tag) throws Exception {
        Deadline deadline = Deadline.after(MIRRORED_WITHIN);
        while (!deadline.passed()) {
            Optional<String> d = digest.get();
            if (d.isPresent()) {
                return d.get();
            }
            Deadline.pause(deadline.next(Duration.ofMillis(200)));
        }
        fail(REPO + ":" + tag + " not in the backup registry within " + MIRRORED_WITHIN.toSeconds() + " s");
        return null;
    }

    /** Until no image mirror runs: a follow-up run starts only after the one before it has finished. */
    private static void waitForIdle() throws Exception {
        Deadline deadline = Deadline.after(MIRRORED_WITHIN);
        while (!deadline.passed()) {
            if (list(true) == 0) {
                return;
            }
            Deadline.pause(deadline.next(Duration.ofMillis(200)));
        }
        fail("image mirror runs still open after " + MIRRORED_WITHIN.toSeconds() + " s");
    }

    private static int mirrorRuns() {
        return list(true) + list(false);
    }

    private static int list(boolean open) {
        var stub = client().getWorkflowServiceStubs().blockingStub();
        StartTimeFilter all = StartTimeFilter.newBuilder()
                .setEarliestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(0))
                .setLatestTime(com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(Instant.now().getEpochSecond() + 3600))
                .build();
        WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(ImageMirrorWorkflow.TYPE).build();
        return open
                ? stub.listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default").setMaximumPageSize(1000).setStartTimeFilter(all).setTypeFilter(type)
                        .build()).getExecutionsCount()
                : stub.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder()
                        .setNamespace("default").setMaximumPageSize(1000).setStartTimeFilter(all).setTypeFilter(type)
                        .build()).getExecutionsCount();
    }
}
