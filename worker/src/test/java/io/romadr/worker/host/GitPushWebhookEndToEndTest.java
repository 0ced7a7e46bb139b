package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.DropwizardTestSupport;
import io.micrometer.core.instrument.Counter;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.git.GitCli;
import io.romadr.activities.git.GitDaemon;
import io.romadr.activities.notify.WebhookSignature;
import io.romadr.activities.poll.Deadline;
import io.romadr.backup.BackupEventsReport;
import io.romadr.backup.BackupEventsWorkflow;
import io.romadr.backup.GitMirrorWorkflow;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git push events end to end: the worker host in-process (Dropwizard, embedded Temporal, the production activities)
 * with a plan whose git primary and backup are bare repositories behind real {@code git daemon}s. The primary's
 * {@code hooks/post-receive} posts a GitHub-format push event signed with openssl to {@code /webhooks/git/<plan>}
 * with curl, as a forge would. A burst of pushes ends with the backup equal to the primary in far fewer mirror runs
 * than pushes, and the lags in the store; forged and replayed events start nothing.
 */
@org.junit.jupiter.api.Tag("integration")
class GitPushWebhookEndToEndTest {
    static final String PLAN = "pushed";
    static final String NO_GIT = "nogit";
    static final int PUSHES = 50;
    static final int PUSHERS = 5;
    static final String SECRET = "git-push-secret-" + UUID.randomUUID();
    static final String EVENTS_ID = BackupEventsWorkflow.workflowId("git", PLAN);

    static DropwizardTestSupport<RomaDrConfiguration> host;
    static GitDaemon primary;
    static GitDaemon backup;
    static Path root;
    static HostClient http;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        root = dir;
        primary = serve("primary");
        backup = serve("backup");
        Path plans = Files.createDirectories(root.resolve("plans"));
        String service = """
                service:
                  composeProject: pushed
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                """;
        Files.writeString(plans.resolve(PLAN + ".yaml"), "name: " + PLAN + "\n" + service + """
                backup:
                  store: { uri: "%s" }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups:
                      - { name: backup-1, url: "%s" }
                """.formatted(root.resolve("store").toUri(), url(primary), url(backup)));
        Files.writeString(plans.resolve(NO_GIT + ".yaml"), "name: " + NO_GIT + "\n" + service);
        Path secret = root.resolve("git-webhook-secret");
        Files.writeString(secret, SECRET + "\n");
        Path config = root.resolve("worker.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging: {level: WARN}
                temporal: {embedded: true, embeddedPort: %d, taskQueue: roma-dr-git-push-%s}
                plansDir: '%s'
                webhooks:
                  git: {secretFile: '%s'}
                """.formatted(LocalServerProcess.freePort(), UUID.randomUUID().toString().substring(0, 8), plans,
                secret));
        host = new DropwizardTestSupport<>(RomaDrApplication.class, config.toString());
        host.before();
        http = new HostClient(host.getLocalPort(), host.getAdminPort());
        GitPushHook.install(root.resolve("srv-primary/repo.git"), "http://127.0.0.1:" + host.getLocalPort()
                + "/webhooks/git/" + PLAN, secret, root.resolve("hook.log"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (host != null) {
                host.after();
            }
        } finally {
            for (GitDaemon d : new GitDaemon[]{primary, backup}) {
                if (d != null) {
                    d.close();
                }
            }
        }
    }

    private static GitDaemon serve(String name) throws Exception {
        Path base = Files.createDirectories(root.resolve("srv-" + name));
        GitCli.run(base, "init", "-q", "--bare", "repo.git");
        return GitDaemon.start(base);
    }

    static String url(GitDaemon daemon) {
        return "git://127.0.0.1:" + daemon.port() + "/repo.git";
    }

    static RomaDrApplication app() {
        return (RomaDrApplication) host.getApplication();
    }

    static WorkflowClient client() {
        return app().temporal().client();
    }

    /** Executions (open and closed) of a workflow type on the host's Temporal. */
    static List<WorkflowExecutionInfo> executions(String type) {
        var stub = client().getWorkflowServiceStubs().blockingStub();
        String namespace = app().temporal().namespace();
        StartTimeFilter all = StartTimeFilter.newBuilder()
                .setEarliestTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(0))
                .setLatestTime(com.google.protobuf.Timestamp.newBuilder()
                        .setSeconds(Instant.now().getEpochSecond() + 3600))
                .build();
        WorkflowTypeFilter filter = WorkflowTypeFilter.newBuilder().setName(type).build();
        List<WorkflowExecutionInfo> executions = new ArrayList<>(stub.listOpenWorkflowExecutions(
                ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(namespace).setMaximumPageSize(1000)
                        .setStartTimeFilter(all).setTypeFilter(filter).build())
                .getExecutionsList());
        Set<String> open = executions.stream().map(e -> e.getExecution().getRunId()).collect(Collectors.toSet());
        // One that closed between the two lists is in both.
        stub.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder().setNamespace(namespace)
                .setMaximumPageSize(1000).setStartTimeFilter(all).setTypeFilter(filter).build()).getExecutionsList()
                .stream().filter(e -> !open.contains(e.getExecution().getRunId())).forEach(executions::add);
        // The embedded (test) server does not filter by type.
        return executions.stream().filter(e -> e.getType().getName().equals(type)).toList();
    }

    static Instant instant(com.google.protobuf.Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** Events this host signalled to an events workflow. */
    static double signalled() {
        return app().registry().find("romadr.backup.events").tag("outcome", "signalled").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Waits until the plan's events workflow has nothing left to do. */
    static BackupEventsReport idle() throws java.util.concurrent.TimeoutException {
        return client().newUntypedWorkflowStub(EVENTS_ID).getResult(60, TimeUnit.SECONDS, BackupEventsReport.class);
    }

    static String[] github(String event, String delivery, String key, byte[] body) {
        return new String[]{"Content-Type", "application/json", "X-GitHub-Event", event, "X-GitHub-Delivery",
                delivery, "X-Hub-Signature-256", "sha256=" + HexFormat.of().formatHex(
                        WebhookSignature.hmacSha256(key.getBytes(StandardCharsets.UTF_8), body))};
    }

    /** The lag samples of the plan's git events in its store. */
    static int lagSamples() throws Exception {
        Path file = root.resolve("store/lag/" + PLAN + "/git.json");
        return Files.exists(file) ? HostClient.JSON.readTree(file.toFile()).get("samples").size() : 0;
    }

    static List<String> hookLog() throws Exception {
        Path log = root.resolve("hook.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void aBurstOfPushesIsMirroredInAFewRunsWithItsLagsRecorded() throws Exception {
        Set<String> runsBefore = executions(GitMirrorWorkflow.TYPE).stream().map(e -> e.getExecution().getRunId())
                .collect(Collectors.toSet());
        int samplesBefore = lagSamples();
        int postedBefore = hookLog().size();
        // PUSHERS developers, each pushing PUSHES / PUSHERS commits to a branch of their own, one push per commit.
        List<Path> clones = new ArrayList<>();
        for (int p = 0; p < PUSHERS; p++) {
            Path work = root.resolve("work-" + p);
            GitCli.run(root, "clone", "-q", url(primary), work.toString());
            clones.add(work);
        }
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
        try {
            List<Future<?>> pushers = new ArrayList<>();
            for (int p = 0; p < PUSHERS; p++) {
                Path work = clones.get(p);
                String branch = "HEAD:refs/heads/burst-" + p;
                pushers.add(pool.submit(() -> {
                    for (int i = 1; i <= PUSHES / PUSHERS; i++) {
                        GitCli.commit(work, "README", "push " + i + "\n", null);
                        GitCli.run(work, "push", "-q", "origin", branch);
                    }
                    return null;
                }));
            }
            for (Future<?> f : pushers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Instant lastPush = Instant.now();
        Map<String, String> primaryRefs = GitCli.lsRemote(root, url(primary));
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (!primaryRefs.equals(GitCli.lsRemote(root, url(backup)))) {
            if (deadline.passed()) {
                throw new AssertionError("the backup does not have every pushed commit 30 s after the last push: "
                        + GitCli.lsRemote(root, url(backup)) + ", primary " + primaryRefs);
            }
            Deadline.pause(deadline.next(Duration.ofMillis(50)));
        }
        System.out.printf("backup equal %d ms after the last of %d pushes%n",
                Duration.between(lastPush, Instant.now()).toMillis(), PUSHES);

        List<String> posted = hookLog().subList(postedBefore, hookLog().size());
        assertEquals(PUSHES, posted.size(), posted.toString());
        assertTrue(posted.stream().allMatch("202"::equals), posted.toString());

        BackupEventsReport last = idle();
        assertEquals(0, last.pending(), last.toString());
        List<WorkflowExecutionInfo> runs = executions(GitMirrorWorkflow.TYPE).stream()
                .filter(e -> !runsBefore.contains(e.getExecution().getRunId()))
                .sorted(java.util.Comparator.comparing(e -> instant(e.getStartTime()))).toList();
        long afterLastPush = runs.stream().filter(e -> instant(e.getStartTime()).isAfter(lastPush)).count();
        System.out.printf("%d pushes, %d mirror runs, %d of them started after the last push%n", PUSHES,
                runs.size(), afterLastPush);
        assertTrue(runs.size() <= PUSHES / 2, runs.size() + " mirror runs for " + PUSHES + " pushes");
        // Never a queue: when the burst ends, at most the follow-up of what the workflow had received is left, and
        // one more for signals the server had accepted but not yet handed to the workflow when it started that one.
        assertTrue(afterLastPush <= 2, afterLastPush + " mirror runs started after the last push");
        for (int i = 1; i < runs.size(); i++) {
            assertFalse(instant(runs.get(i).getStartTime()).isBefore(instant(runs.get(i - 1).getCloseTime())),
                    "mirror runs overlap: " + runs.get(i - 1).getExecution().getWorkflowId() + " and "
                            + runs.get(i).getExecution().getWorkflowId());
        }
        assertEquals(PUSHES, lagSamples() - samplesBefore, "one lag sample per push");
        for (JsonNode s : HostClient.JSON.readTree(root.resolve("store/lag/" + PLAN + "/git.json").toFile())
                .get("samples")) {
            assertEquals("github", s.get("source").asText());
            assertTrue(s.get("committedAt").asLong() >= s.get("eventAt").asLong(), s.toString());
        }
    }

    @Test
    void forgedReplayedAndForeignRequestsStartNothing() throws Exception {
        // A branch on the primary (its hook's event mirrors it); the events below are the test's own.
        Path seed = root.resolve("seed");
        GitCli.run(root, "init", "-q", seed.toString());
        String sha = GitCli.commit(seed, "seed.txt", "seed\n", null);
        GitCli.run(seed, "push", "-q", url(primary), "HEAD:refs/heads/seed");
        idle();
        byte[] push = ("{\"ref\":\"refs/heads/seed\",\"after\":\"" + sha + "\"}").getBytes(StandardCharsets.UTF_8);
        String path = "/webhooks/git/" + PLAN;
        int eventsBefore = executions(BackupEventsWorkflow.TYPE).size();
        double signalledBefore = signalled();

        String body = new String(push, StandardCharsets.UTF_8);
        assertEquals(401, http.post(path, body, github("push", "d-forged", "wrong-secret", push)).status());
        assertEquals(401, http.post(path, body, "Content-Type", "application/json", "X-GitHub-Event", "push")
                .status());
        HostClient.Reply gitlab = http.post(path, body, "Content-Type", "application/json", "X-Gitlab-Event",
                "Push Hook", "X-Gitlab-Token", "wrong");
        assertEquals(401, gitlab.status());
        assertFalse(gitlab.body().contains(SECRET), gitlab.body());
        assertEquals(415, http.post(path, body, "Content-Type", "application/x-www-form-urlencoded",
                "X-GitHub-Event", "push").status());
        assertEquals(400, http.post(path, body, "Content-Type", "application/json").status(), "no forge header");
        byte[] broken = "{\"ref\":".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, http.post(path, "{\"ref\":", github("push", "d-broken", SECRET, broken)).status());
        HostClient.Reply unknown = http.post("/webhooks/git/nosuchplan", body, github("push", "d-u", SECRET, push));
        assertEquals(422, unknown.status(), unknown.body());
        HostClient.Reply noGit = http.post("/webhooks/git/" + NO_GIT, body, github("push", "d-n", SECRET, push));
        assertEquals(422, noGit.status(), noGit.body());
        assertTrue(noGit.body().contains("no backup.git"), noGit.body());
        HostClient.Reply ping = http.post(path, "{\"zen\":\"hi\"}", github("ping", "d-ping", SECRET,
                "{\"zen\":\"hi\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, ping.status(), ping.body());
        HostClient.Reply issues = http.post(path, body, github("issues", "d-issues", SECRET, push));
        assertEquals(202, issues.status(), issues.body());
        assertEquals("ignored", issues.json().get("action").asText(), issues.body());
        assertEquals(eventsBefore, executions(BackupEventsWorkflow.TYPE).size(), "nothing started so far");
        assertEquals(signalledBefore, signalled());

        String delivery = "d-" + UUID.randomUUID();
        HostClient.Reply good = http.post(path, body, github("push", delivery, SECRET, push));
        assertEquals(202, good.status(), good.body());
        assertEquals("signalled", good.json().get("action").asText(), good.body());
        assertEquals(EVENTS_ID, good.json().get("workflowId").asText(), good.body());
        assertEquals("refs/heads/seed " + sha.substring(0, 7), good.json().get("detail").asText(), good.body());
        int eventsAfterGood = executions(BackupEventsWorkflow.TYPE).size();

        HostClient.Reply replayed = http.post(path, body, github("push", delivery, SECRET, push));
        assertEquals(409, replayed.status(), replayed.body());
        HostClient.Reply newDelivery = http.post(path, body, github("push", "d-" + UUID.randomUUID(), SECRET, push));
        assertEquals(409, newDelivery.status(), "the same body under a new delivery id: " + newDelivery.body());
        assertEquals(eventsAfterGood, executions(BackupEventsWorkflow.TYPE).size(), "the replays started nothing");
        assertEquals(signalledBefore + 1, signalled());

        BackupEventsReport report = idle();
        assertEquals(0, report.pending(), report.toString());
        assertTrue(report.recentLags().stream().anyMatch(l -> l.eventId().equals(delivery)), report.toString());
    }
}
