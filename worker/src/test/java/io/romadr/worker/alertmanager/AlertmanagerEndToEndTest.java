package io.romadr.worker.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.report.Outcome;
import io.romadr.scenario.servicefailure.ServiceRecoveryReport;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Auth;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Config;
import io.romadr.activities.alertmanager.AlertmanagerProcess.State;
import io.romadr.worker.alertmanager.InProcessHost.Route;
import io.romadr.worker.alertmanager.InProcessHost.Run;
import io.romadr.worker.alertmanager.WebhookTap.Exchange;
import io.romadr.activities.docker.HealthWatch;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with a real Prometheus Alertmanager: alerts posted to Alertmanager's v2 API, Alertmanager's webhook
 * (bearer token) to the worker host running in this JVM (Dropwizard, embedded Temporal, production Docker
 * activities), recoveries of a real sandbox service. Between Alertmanager and the host sits a transparent
 * {@link WebhookTap}, so the test knows when each webhook arrived and what the host answered for each alert.
 *
 * <p>Exactly one recovery per fingerprint is counted on Temporal (every run of ServiceRecoveryWorkflow, open and
 * closed), not from the host's answers.
 */
@org.junit.jupiter.api.Tag("integration")
class AlertmanagerEndToEndTest {
    static final String TOKEN = "am-e2e-" + UUID.randomUUID();
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String WATCH_PLAN = "am-watch";
    static final String KILL_PLAN = "am-kill";

    static DockerClient docker;
    static SandboxService sandbox;
    static Path plansDir;

    @BeforeAll
    static void sandbox() throws IOException {
        AlertmanagerProcess.binary(); // fails here, clearly, when Alertmanager is not installed
        docker = DockerTestSupport.docker();
        String image = SandboxImage.ensure(docker);
        sandbox = SandboxService.create(docker, "romadr-am-" + UUID.randomUUID().toString().substring(0, 8), image,
                SandboxService.Options.defaults());
        plansDir = Files.createTempDirectory("roma-dr-am-plans-");
        // A long watch window keeps a recovery running while its alert repeats and flaps.
        Files.writeString(plansDir.resolve(WATCH_PLAN + ".yaml"),
                sandbox.planYaml(WATCH_PLAN, "15m", "30s", "100ms", "10s", "5m", "1s"));
        Files.writeString(plansDir.resolve(KILL_PLAN + ".yaml"),
                sandbox.planYaml(KILL_PLAN, "15m", "30s", "100ms", "10s", "0s", "1s"));
    }

    @AfterAll
    static void destroy() throws IOException {
        if (sandbox != null) {
            sandbox.destroy();
        }
        if (plansDir != null) {
            try (Stream<Path> s = Files.walk(plansDir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Map<String, String> labels(String service) {
        return Map.of("alertname", "RomaDown", "service", service, "severity", "critical");
    }

    private static final Map<String, String> ANNOTATIONS = Map.of("summary", "ROMA health check failing");

    @Test
    void twentyPostsOfTwoAlertsAndAlertmanagersRepeatsStartExactlyOneRecoveryOfThePlan() {
        try (InProcessHost host = InProcessHost.start(plansDir, TOKEN,
                List.of(new Route(Map.of("alertname", "RomaDown", "service", "=~roma.*"), WATCH_PLAN)));
                WebhookTap tap = new WebhookTap(host.alertmanagerWebhook());
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(tap.url(), new Auth.Bearer(TOKEN))
                        .withRepeatInterval(Duration.ofSeconds(2)))) {
            for (int i = 0; i < 20; i++) { // two alerts (two fingerprints), each posted 20 times
                am.postAlert(labels("roma"), ANNOTATIONS, State.FIRING);
                am.postAlert(labels("roma-api"), ANNOTATIONS, State.FIRING);
            }
            // Both groups notified, then each re-sent by Alertmanager after repeat_interval at least twice.
            List<Exchange> all = tap.await(x -> true, 6, TIMEOUT, am);
            Set<String> fingerprints = fingerprints(all);
            assertEquals(2, fingerprints.size(), fingerprints::toString);
            assertTrue(all.stream().allMatch(x -> x.status() == 200), () -> describe(all));
            List<String> actions = all.stream().flatMap(x -> x.actions().stream()).toList();
            assertEquals(1, actions.stream().filter("started"::equals).count(), () -> describe(all));
            assertEquals(actions.size() - 1, actions.stream().filter("attached"::equals).count(),
                    () -> describe(all));

            Run run = assertOneRun(host, WATCH_PLAN);
            assertEquals(all.size(), host.signals(run.workflowId(), run.runId(), RecoveryStarter.TRIGGER_SIGNAL),
                    "each notification is recorded on the one recovery");
            assertTrue(host.runs().stream().allMatch(r -> r.status().endsWith("RUNNING")), host.runs()::toString);
        }
    }

    @Test
    void anAlertFlappingBetweenFiringAndResolvedStartsOneRecovery() {
        try (InProcessHost host = InProcessHost.start(plansDir, TOKEN,
                List.of(new Route(Map.of("alertname", "RomaDown", "service", "roma"), WATCH_PLAN)));
                WebhookTap tap = new WebhookTap(host.alertmanagerWebhook());
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(tap.url(), new Auth.Bearer(TOKEN)))) {
            int flaps = 3;
            for (int i = 1; i <= flaps; i++) {
                am.postAlert(labels("roma"), ANNOTATIONS, State.FIRING);
                am.postAlert(labels("roma"), ANNOTATIONS, State.FIRING);
                tap.await(x -> x.request().path("status").asText().equals("firing"), i, TIMEOUT, am);
                am.postAlert(labels("roma"), ANNOTATIONS, State.RESOLVED);
                tap.await(x -> x.request().path("status").asText().equals("resolved"), i, TIMEOUT, am);
            }
            am.postAlert(labels("roma"), ANNOTATIONS, State.FIRING); // and it fires once more
            List<Exchange> all = tap.await(x -> x.request().path("status").asText().equals("firing"), flaps + 1,
                    TIMEOUT, am);

            assertEquals(List.of("firing", "resolved", "firing", "resolved", "firing", "resolved", "firing"),
                    all.stream().map(x -> x.request().path("status").asText()).toList(), () -> describe(all));
            assertEquals(List.of("started", "resolved_recorded", "attached", "resolved_recorded",
                    "attached", "resolved_recorded", "attached"),
                    all.stream().flatMap(x -> x.actions().stream()).toList(), () -> describe(all));
            Set<String> fingerprints = fingerprints(all);
            assertEquals(1, fingerprints.size());
            Run run = assertOneRun(host, WATCH_PLAN);
            assertEquals(all.size(), host.signals(run.workflowId(), run.runId(), RecoveryStarter.TRIGGER_SIGNAL),
                    "each notification, firing or resolved, is recorded on the one recovery");
        }
    }

    @Test
    void aKilledServiceIsHealthyAgainThroughAlertmanagerAndTheWebhook() throws Exception {
        try (InProcessHost host = InProcessHost.start(plansDir, TOKEN,
                List.of(new Route(Map.of("alertname", "RomaDown", "service", "roma"), KILL_PLAN)));
                WebhookTap tap = new WebhookTap(host.alertmanagerWebhook());
                AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(tap.url(), new Auth.Bearer(TOKEN)))) {
            sandbox.awaitHealthy(Duration.ofSeconds(30));
            Instant before = sandbox.startedAt("roma");
            sandbox.kill("roma");
            awaitDown(sandbox.healthUrl("roma"));

            Instant posted = Instant.now();
            am.postAlert(labels("roma"), ANNOTATIONS, State.FIRING);
            Instant healthy = awaitHealthy(List.of(sandbox.healthUrl("roma"), sandbox.healthUrl("roma-api")));
            List<Exchange> all = tap.await(x -> x.actions().contains("started"), 1, TIMEOUT, am);
            Exchange webhook = all.stream().filter(x -> x.actions().contains("started")).findFirst().orElseThrow();
            String workflowId = webhook.response().at("/alerts/0/workflowId").asText();

            ServiceRecoveryReport report = host.client().newUntypedWorkflowStub(workflowId)
                    .getResult(TIMEOUT.toSeconds(), TimeUnit.SECONDS, ServiceRecoveryReport.class);
            assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());
            assertTrue(sandbox.startedAt("roma").isAfter(before), "the killed container was started again");
            Run run = assertOneRun(host, KILL_PLAN);

            long arrivalToHealthy = Duration.between(webhook.arrivedAt(), healthy).toMillis();
            assertTrue(arrivalToHealthy >= 0, "healthy before the webhook arrived?");
            System.out.printf("%n[alertmanager e2e] killed container -> healthy: alert posted -> webhook arrived %d ms"
                    + " (group_wait %s); webhook arrived -> workflow start (Temporal) %d ms; webhook arrived -> "
                    + "healthy %d ms; recovery steps %s%n%n",
                    Duration.between(posted, webhook.arrivedAt()).toMillis(),
                    AlertmanagerProcess.duration(am.config().groupWait()),
                    Duration.between(webhook.arrivedAt(), run.startTime()).toMillis(), arrivalToHealthy,
                    report.timeline().stream().map(s -> s.step() + " " + s.durationMillis() + "ms")
                            .collect(Collectors.joining(", ")));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Every ServiceRecoveryWorkflow run on the host: exactly one, the plan's, with its canonical workflow ID. */
    private static Run assertOneRun(InProcessHost host, String plan) {
        List<Run> runs = host.runs();
        assertEquals(1, runs.size(), () -> "runs: " + runs);
        assertEquals(RecoveryStarter.workflowId("service-failure", plan), runs.get(0).workflowId());
        return runs.get(0);
    }

    private static Set<String> fingerprints(List<Exchange> exchanges) {
        Set<String> f = new TreeSet<>();
        exchanges.forEach(x -> x.request().path("alerts").forEach(a -> f.add(a.path("fingerprint").asText())));
        return f;
    }

    private static String describe(List<Exchange> all) {
        return all.stream().map(x -> x.request().path("status").asText() + " " + x.status() + " " + x.response())
                .collect(Collectors.joining("\n  ", "exchanges:\n  ", ""));
    }

    private static boolean ok(String url) {
        return HealthWatch.ok(url);
    }

    private static void awaitDown(String url) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (ok(url)) {
            if (System.nanoTime() > deadline) {
                fail(url + " still answers after the kill");
            }
            pause();
        }
    }

    /** The instant all health URLs answered 200 (see {@link HealthWatch}: overlapping probes every 20 ms). */
    private static Instant awaitHealthy(List<String> urls) {
        long now = System.nanoTime();
        Instant wall = Instant.now();
        long at = HealthWatch.awaitAllOk(urls, Duration.ofMillis(20), TIMEOUT);
        return wall.plusNanos(at - now);
    }

    private static void pause() {
        try {
            Thread.sleep(20); // poll interval of a loop with a deadline
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
