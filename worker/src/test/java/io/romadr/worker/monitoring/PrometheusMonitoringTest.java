package io.romadr.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.DropwizardTestSupport;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.poll.Deadline;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.StateSnapshotWorkflow;
import io.romadr.backup.VerificationReport;
import io.romadr.backup.VerificationRequest;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.EmbeddedStack;
import io.romadr.worker.RomaWorker;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import io.romadr.worker.host.BackupStatusCollector;
import io.romadr.worker.host.RomaDrApplication;
import io.romadr.worker.host.RomaMetrics;
import io.romadr.worker.host.RomaDrConfiguration;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The monitoring end to end, everything real: the worker host in this JVM (Dropwizard, embedded Temporal, the
 * production activities on the Docker engine, a plan whose state is backed up to a local store with an RPO of 2 s),
 * a real Prometheus scraping its admin port every second with the shipped rules, a real Alertmanager, and a webhook
 * receiver on a loopback HTTP server. One backup, one verification and one Scenario 1 recovery (started as a drill
 * starts it) give every metric data; then every dashboard query returns series from Prometheus, and the shipped
 * RomaDrBackupStale rule fires for the plan's state backup and reaches the receiver through Alertmanager.
 */
@Tag("integration")
class PrometheusMonitoringTest {
    static final String PLAN = "mon";
    static final String TASK_QUEUE = "roma-dr-monitoring-" + UUID.randomUUID().toString().substring(0, 8);
    private static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedStack resources;
    static DropwizardTestSupport<RomaDrConfiguration> host;
    static Receiver receiver;
    static AlertmanagerProcess alertmanager;
    static PrometheusProcess prometheus;
    static BackupReport backup;
    static Path plans;
    static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        MonitoringFiles.prometheus(); // fails here, clearly, when Prometheus is not installed
        Path dir = Files.createTempDirectory("roma-dr-monitoring-");
        resources = new EmbeddedStack(TASK_QUEUE); // only its sandbox container and clean-up
        docker = DockerTestSupport.dockerWithSandboxImage();
        String project = "romadr-mon-" + UUID.randomUUID().toString().substring(0, 8);
        Path state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(state.resolve("cursor"), "41\n");
        plans = Files.createDirectories(dir.resolve("plans"));
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.writeString(plans.resolve(PLAN + ".yaml"), """
                name: %s
                service:
                  composeProject: %s
                  containers: [{ service: app }]
                  healthChecks:
                    - name: state-present
                      exec: { service: app, command: [cat, /data/state/cursor], timeout: 5s }
                rto: { service: 15m }
                rpo: { executionState: 2s }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, watchWindow: 0s }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /data/state }
                """.formatted(PLAN, project, store.toUri()));
        resources.sandbox(docker, project, "app", Map.of("/data/state", state), Map.of("io.romadr.sandbox", "true"));

        Path config = dir.resolve("worker.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                temporal:
                  embedded: true
                  embeddedPort: %d
                  taskQueue: %s
                plansDir: '%s'
                monitoring:
                  collectInterval: 1s
                """.formatted(LocalServerProcess.freePort(), TASK_QUEUE, plans));
        host = new DropwizardTestSupport<>(RomaDrApplication.class, config.toString());
        host.before();

        receiver = new Receiver();
        alertmanager = AlertmanagerProcess.start(AlertmanagerProcess.Config.of(receiver.url(),
                new AlertmanagerProcess.Auth.None()));
        prometheus = PrometheusProcess.start("127.0.0.1:" + host.getAdminPort(),
                "127.0.0.1:" + alertmanager.port(), List.of(MonitoringFiles.RULES));

        WorkflowClient client = ((RomaDrApplication) host.getApplication()).temporal().client();
        backup = client.newWorkflowStub(StateSnapshotWorkflow.class, options("mon-backup"))
                .snapshot(new BackupRequest(PLAN, "test"));
        assertEquals(Outcome.RECOVERED, backup.outcome(), backup.summary());
        // The plan has no artifacts section: this run fails, and counts as a failed artifacts backup.
        assertThrows(WorkflowFailedException.class, () -> client.newWorkflowStub(ArtifactBackupWorkflow.class,
                options("mon-artifacts")).backup(new BackupRequest(PLAN, "test")));
        VerificationReport verified = client.newWorkflowStub(BackupVerificationWorkflow.class,
                options("mon-verify")).verify(new VerificationRequest(PLAN, "test"));
        assertFalse(verified.rows().isEmpty(), verified.summary());
        // Started as the drills start their recoveries (requestedBy "drill"), so the drill metrics have data too.
        ServiceRecoveryReport recovery = client.newWorkflowStub(ServiceRecoveryWorkflow.class, options("mon-drill"))
                .recover(new ServiceRecoveryRequest(PLAN, "monitoring test", "drill"));
        assertEquals(Outcome.RECOVERED, recovery.outcome(), recovery.summary());
    }

    static WorkflowOptions options(String id) {
        return WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId(id + "-" + UUID.randomUUID())
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{prometheus, alertmanager, receiver}) {
            if (c != null) {
                c.close();
            }
        }
        if (host != null) {
            host.after();
        }
        if (resources != null) {
            resources.close();
        }
    }

    @Test
    void prometheusScrapesTheHostAndEveryDashboardQueryHasData() throws Exception {
        assertEquals("1", awaitSeries("up{job=\"" + MonitoringFiles.JOB + "\"} == 1").get(0).path("value").get(1)
                .asText());
        List<Dashboard.Query> queries = Dashboard.load().queries();
        assertTrue(queries.size() >= 15, "queries: " + queries.size());
        for (Dashboard.Query q : queries) {
            JsonNode series = awaitSeries(q.promql());
            assertFalse(series.isEmpty(), q.toString());
        }
        // The values the collector read from the store are the stored backup's.
        JsonNode size = awaitSeries("romadr_backup_last_size_bytes{plan=\"" + PLAN + "\",kind=\"state\"}");
        assertEquals(backup.manifest().sizeBytes(), size.get(0).path("value").get(1).asLong());
        JsonNode last = awaitSeries("romadr_backup_last_success_timestamp_seconds{plan=\"" + PLAN + "\"}");
        assertEquals(backup.manifest().createdAt() / 1000.0, last.get(0).path("value").get(1).asDouble(), 0.001);
        JsonNode drill = awaitSeries("romadr_drill_last_success{plan=\"" + PLAN
                + "\",scenario=\"service-failure\"}");
        assertEquals("1", drill.get(0).path("value").get(1).asText());
        assertEquals("1", awaitSeries("romadr_backup_failures_total{plan=\"" + PLAN + "\",kind=\"artifacts\"} == 1")
                .get(0).path("value").get(1).asText());
        assertEquals("0", awaitSeries("romadr_backup_failures_total{plan=\"" + PLAN + "\",kind=\"state\"}").get(0)
                .path("value").get(1).asText());
        assertEquals("1", awaitSeries("romadr_verification_ok{plan=\"" + PLAN + "\"}").get(0).path("value").get(1)
                .asText());
        assertFalse(awaitSeries("romadr_verification_rows{plan=\"" + PLAN + "\",kind=\"state\",status=\"OK\"} > 0")
                .isEmpty());
        JsonNode rpo = awaitSeries("romadr_backup_rpo_seconds{plan=\"" + PLAN + "\",kind=\"state\"}");
        assertEquals("2", rpo.get(0).path("value").get(1).asText());
    }

    /** A worker that starts later (nothing ran on it) reads the last backup from the store, outside any activity. */
    @Test
    void aFreshWorkerReadsTheLastBackupFromTheStore() {
        PrometheusMeterRegistry fresh = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PlanRepository repository = new PlanRepository(plans);
        new BackupStatusCollector(repository,
                RomaWorker.Activities.production(repository, docker, NotificationSettings.NONE).backups(),
                new RomaMetrics(fresh)).run();
        String scrape = fresh.scrape();
        String expected = "romadr_backup_last_size_bytes{kind=\"state\",plan=\"" + PLAN + "\"} "
                + (double) backup.manifest().sizeBytes();
        assertTrue(scrape.lines().anyMatch(l -> l.equals(expected)), () -> expected + " not in\n" + scrape);
        assertTrue(scrape.contains("romadr_backup_rpo_seconds{kind=\"state\",plan=\"" + PLAN + "\"} 2.0"), scrape);
        // The measured RPO: one state backup is one (open) interval, held to the RPO of 2 s plus the 1 m slack.
        assertTrue(scrape.contains("romadr_backup_lag_samples{kind=\"state\",plan=\"" + PLAN + "\"} 1.0"), scrape);
        assertTrue(scrape.contains("romadr_backup_lag_limit_seconds{kind=\"state\",plan=\"" + PLAN + "\"} 62.0"),
                scrape);
    }

    @Test
    void aStaleBackupFiresRomaDrBackupStaleThroughAlertmanager() throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(150));
        while (true) {
            for (JsonNode payload : receiver.payloads()) {
                for (JsonNode alert : payload.path("alerts")) {
                    JsonNode labels = alert.path("labels");
                    if ("RomaDrBackupStale".equals(labels.path("alertname").asText())
                            && "firing".equals(alert.path("status").asText())) {
                        assertEquals(PLAN, labels.path("plan").asText(), alert.toString());
                        assertEquals("state", labels.path("kind").asText(), alert.toString());
                        assertEquals("too_old", labels.path("reason").asText(), alert.toString());
                        assertEquals("warning", labels.path("severity").asText(), alert.toString());
                        assertTrue(alert.path("annotations").path("runbook_url").asText()
                                .startsWith("docs/monitoring.md#"), alert.toString());
                        return;
                    }
                }
            }
            if (deadline.passed()) {
                fail("RomaDrBackupStale did not reach the receiver within " + deadline.timeout()
                        + "; Prometheus alerts: " + prometheus.alerts() + "; received: " + receiver.payloads()
                        + "; Alertmanager log:\n" + alertmanager.logTail());
            }
            Deadline.pause(deadline.next(Duration.ofMillis(500)));
        }
    }

    /** Polls an instant query until it returns at least one series (scrapes and rule runs are every second). */
    static JsonNode awaitSeries(String promql) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(60));
        while (true) {
            JsonNode result = prometheus.query(promql);
            if (!result.isEmpty()) {
                return result;
            }
            if (deadline.passed()) {
                fail("no series for " + promql + " within " + deadline.timeout() + "; scraped:\n"
                        + ((RomaDrApplication) host.getApplication()).registry().scrape().lines()
                                .filter(l -> l.startsWith("romadr_")).toList());
            }
            Deadline.pause(deadline.next(Duration.ofMillis(250)));
        }
    }

    /** Records the JSON body of every request Alertmanager makes, and answers 200. */
    static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final List<JsonNode> payloads = new CopyOnWriteArrayList<>();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", ex -> {
                try (ex) {
                    payloads.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
                    ex.sendResponseHeaders(200, -1);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/alerts");
        }

        List<JsonNode> payloads() {
            return new ArrayList<>(payloads);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
