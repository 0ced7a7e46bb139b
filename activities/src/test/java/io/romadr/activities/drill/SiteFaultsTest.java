package io.romadr.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.compute.LaunchKey;
import io.romadr.activities.compute.Server;
import io.romadr.activities.compute.ServerSpec;
import io.romadr.activities.dns.DnsRecord;
import io.romadr.activities.dns.LocalZoneFileDns;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.poll.Deadline;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.site.ComputeProviders;
import io.romadr.activities.site.DnsProviders;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DocumentStateRequest;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * Scenario 3's drill fault on a real Docker engine: a sandbox site (its state and artifacts on bind mounts, a local
 * zone file pointing at it) is documented, lost once (a retry finds it gone), found lost by the verification, then
 * rebuilt by hand as the docker provider does (a new server, the data on its disk, the service on it, DNS moved):
 * the verification finds a cursor that differs from before, then, with the right cursor, the site recovered. Losing
 * the rebuilt site removes its server with its disk.
 */
@org.junit.jupiter.api.Tag("integration")
class SiteFaultsTest {
    static final String ZONE = "drill.internal";
    static final String RECORD = "roma.drill.internal";
    /** Serves the state's cursor and the artifacts with busybox httpd (only the sandbox's applets). */
    static final String SERVE = "mkdir -p /www; [ -f /app/.roma/cursor ] && cat /app/.roma/cursor > /www/cursor; "
            + "for f in /app/out/*.json; do [ -f \"$f\" ] && cat \"$f\" > /www/${f##*/}; done; "
            + "echo ok > /www/health; exec httpd -f -p 8080 -h /www";

    @TempDir
    Path dir;
    private final DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
    private final String plan = "site-drill-" + UUID.randomUUID().toString().substring(0, 8);
    private final String project = "romadr-" + plan;
    private TestActivityEnvironment env;
    private DrillActivities drill;
    private SiteFaults faults;
    private DockerHostCompute compute;
    private Path zoneFile;
    private int port;
    private RecoveryPlan recoveryPlan;

    @BeforeEach
    void setUp() throws Exception {
        Path sites = Files.createDirectories(dir.resolve("sites"));
        compute = new DockerHostCompute(docker, sites);
        ComputeProviders providers = (provider, site) -> new DockerHostCompute(docker, sites);
        DnsProviders dns = new DnsProviders(AnonymousCredentialsProvider.create(), Duration.ofMinutes(1),
                Duration.ofMillis(500));
        DockerServiceActivities service = new DockerServiceActivities(docker, new HttpProbe(),
                new HostCommandRunner());
        faults = new SiteFaults(docker, service, providers, dns);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDrillActivities(docker, null, null, null,
                List.of(new SiteFaults(docker, service, providers, dns))));
        drill = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        zoneFile = dir.resolve("zone.db");
        new LocalZoneFileDns(zoneFile).upsert(ZONE, new DnsRecord(RECORD, "A", 60, List.of("10.0.0.1")), "old site",
                () -> {
                });
        recoveryPlan = new PlanLoader().parse(plan + ".yaml", planYaml());
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerHostCompute.PLAN_LABEL, plan)).exec()) {
            compute.terminate(c.getId());
        }
        for (Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        }
        env.close();
    }

    @Test
    void theSiteIsLostOnceAndTheVerificationHoldsOnlyWhenTheRebuiltSiteHasItsDataAndDns() throws Exception {
        Path state = Files.createDirectories(dir.resolve("old/state"));
        Path out = Files.createDirectories(dir.resolve("old/out"));
        Files.writeString(state.resolve("cursor"), "42\n");
        Files.writeString(out.resolve("today.json"), "{\"events\": [1, 2, 3]}\n");
        Files.writeString(out.resolve("yesterday.json"), "{\"events\": []}\n");
        startService(state, out, Map.of());

        DrillState before = drill.documentState(new DocumentStateRequest("site-loss", recoveryPlan));
        Map<String, String> f = before.fingerprints();
        assertEquals("app", f.get(SiteFaults.CONTAINERS), f.toString());
        assertEquals("10.0.0.1", f.get(SiteFaults.DNS), f.toString());
        assertEquals(io.romadr.activities.digest.Sha256.hex("42\n"), f.get(SiteFaults.STATE + "cursor"));
        assertEquals(io.romadr.activities.digest.Sha256.hex("{\"events\": []}\n"),
                f.get(SiteFaults.ARTIFACTS + "yesterday.json"));
        assertTrue(f.containsKey(SiteFaults.ARTIFACTS + "today.json"), f.toString());
        assertTrue(before.lines().contains("site state app:/app/.roma: 1 file(s) fingerprinted (SHA-256)"),
                before.lines().toString());
        assertTrue(before.lines().contains("site DNS " + RECORD + " A: 10.0.0.1"), before.lines().toString());

        long since = System.currentTimeMillis() - 1000;
        FaultRequest lose = new FaultRequest("site-loss", recoveryPlan, "remove-site", "", since);
        FaultResult first = drill.injectFault(lose);
        assertTrue(first.injected(), first.detail());
        assertEquals("removed " + project + "-app-1", first.detail());
        assertTrue(projectContainers().isEmpty(), "the site's container is gone");
        // A retry (its worker died after the removal) finds nothing left: nothing is done again.
        FaultResult again = faults.inject(lose, 2);
        assertFalse(again.injected(), again.detail());
        assertTrue(again.detail().endsWith("already removed (an earlier attempt)"), again.detail());

        DrillVerification lost = drill.verifyRecovered(new VerifyRecoveredRequest("site-loss", recoveryPlan, before));
        assertFalse(lost.ok());
        assertTrue(lost.problems().contains("no running container of app"), lost.problems().toString());
        assertTrue(lost.problems().contains("0 server container(s) labelled " + DockerHostCompute.PLAN_LABEL + "="
                + plan + ", expected exactly one new one"), lost.problems().toString());
        assertTrue(lost.problems().contains("DNS " + RECORD + " A: 10.0.0.1, as before the loss: not moved"),
                lost.problems().toString());
        assertTrue(lost.dataLoss().contains("state: not readable"), lost.dataLoss());

        // Rebuilt as the docker provider does it: a new server, the data on its disk, the service on it, DNS moved.
        Server server = compute.provision(new ServerSpec(SandboxImage.DEFAULT_IMAGE, null, null, List.of(), null,
                null, Map.of()), new LaunchKey(plan, "drill-" + plan, "provision"));
        Path newState = Files.createDirectories(compute.hostPath(server.id(), "/srv/roma/state"));
        Path newOut = Files.createDirectories(compute.hostPath(server.id(), "/srv/roma/out"));
        Files.writeString(newState.resolve("cursor"), "40\n");
        Files.writeString(newOut.resolve("today.json"), "{\"events\": [1, 2, 3]}\n");
        Files.writeString(newOut.resolve("yesterday.json"), "{\"events\": []}\n");
        startService(newState, newOut, Map.of(DockerHostCompute.SITE_KEY_LABEL,
                server.tags().get(DockerHostCompute.SITE_KEY_LABEL)));
        new LocalZoneFileDns(zoneFile).upsert(ZONE, new DnsRecord(RECORD, "A", 60, List.of(server.address())),
                "new site", () -> {
                });

        DrillVerification older = drill.verifyRecovered(new VerifyRecoveredRequest("site-loss", recoveryPlan,
                before));
        assertFalse(older.ok(), older.checks().toString());
        assertEquals("state: 1 of 1 file(s) missing or different from before the loss: cursor", older.dataLoss());
        assertEquals(1, older.problems().size(), older.problems().toString());

        Files.writeString(newState.resolve("cursor"), "42\n");
        DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("site-loss", recoveryPlan, before));
        assertTrue(up.ok(), up.problems().toString());
        assertEquals("None", up.dataLoss());
        assertTrue(up.checks().containsAll(List.of("health check http: ok", "health check state-restored: ok",
                "app runs on the new site", "1 server container(s) labelled " + DockerHostCompute.PLAN_LABEL + "="
                        + plan + ", new since the loss",
                "DNS " + RECORD + " A: " + server.address() + " = the new server's address",
                "state app:/app/.roma: 1 of 1 file(s) as before the loss",
                "artifacts app:/app/out: 2 of 2 file(s) as before the loss")), up.checks().toString());

        // Losing the rebuilt site removes its server, the service on it and the server's disk.
        Path disk = compute.hostPath(server.id(), "/srv");
        FaultResult rebuiltLost = drill.injectFault(lose);
        assertTrue(rebuiltLost.injected(), rebuiltLost.detail());
        assertTrue(rebuiltLost.detail().startsWith("removed server roma-dr-site-"), rebuiltLost.detail());
        assertTrue(projectContainers().isEmpty(), "the service on the server is gone");
        assertEquals(null, compute.describe(server.id()), "the server is gone");
        assertFalse(Files.exists(disk), "the server's disk is gone");
    }

    @Test
    void aSiteThatIsNotThereIsAFailureNamingTheProjectNotADrill() {
        ActivityFailure e = assertThrows(ActivityFailure.class, () -> drill.injectFault(new FaultRequest(
                "site-loss", recoveryPlan, "remove-site", "", System.currentTimeMillis())));
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        assertTrue(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains("compose project " + project), cause.getOriginalMessage());
    }

    /** The site's service: compose service {@code app} of the project, its state and artifacts bind-mounted. */
    private void startService(Path state, Path out, Map<String, String> moreLabels) throws Exception {
        ExposedPort http = ExposedPort.tcp(8080);
        Ports ports = new Ports();
        ports.bind(http, Ports.Binding.bindIpAndPort("127.0.0.1", port));
        Map<String, String> labels = new java.util.HashMap<>(moreLabels);
        labels.put(DockerServiceActivities.LABEL_PROJECT, project);
        labels.put(DockerServiceActivities.LABEL_SERVICE, "app");
        String id = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE).withName(project + "-app-1")
                .withLabels(labels).withCmd("sh", "-c", SERVE).withExposedPorts(http)
                .withHostConfig(HostConfig.newHostConfig().withInit(true).withPortBindings(ports)
                        .withBinds(new Bind(state.toString(), new Volume("/app/.roma")),
                                new Bind(out.toString(), new Volume("/app/out"))))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Deadline deadline = Deadline.after(Duration.ofSeconds(30));
        while (true) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            if (deadline.passed()) {
                throw new AssertionError("the site's service does not answer on 127.0.0.1:" + port);
            }
            Deadline.pause(Duration.ofMillis(100));
        }
    }

    private List<Container> projectContainers() {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec();
    }

    private String planYaml() {
        return """
                name: %s
                service:
                  composeProject: %s
                  containers:
                    - service: app
                      template:
                        image: "%s"
                        command: [sh, -c, '%s']
                        ports: ["127.0.0.1:%d:8080"]
                        mounts: ["/srv/roma/state:/app/.roma", "/srv/roma/out:/app/out"]
                  healthChecks:
                    - name: http
                      http: { url: "http://127.0.0.1:%d/health", expectStatus: 200, timeout: 2s }
                  smoke:
                    - name: state-restored
                      http: { url: "http://127.0.0.1:%d/cursor", expectStatus: 200, timeout: 2s }
                rto: { service: 15m }
                recovery: { waitHealthy: 30s, pollInterval: 250ms, stopTimeout: 2s }
                backup:
                  store: { uri: "%s" }
                  state: { service: app, path: /app/.roma }
                  artifacts: { service: app, path: /app/out, include: ["*.json"] }
                site:
                  provider: docker
                  docker: { image: "%s" }
                  dns: { provider: zone-file, zone: %s, name: %s, zoneFile: "%s" }
                """.formatted(plan, project, SandboxImage.DEFAULT_IMAGE, SERVE, port, port, port,
                dir.resolve("store").toUri(), SandboxImage.DEFAULT_IMAGE, ZONE, RECORD, zoneFile);
    }
}
