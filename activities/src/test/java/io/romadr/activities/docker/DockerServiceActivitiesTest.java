package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.CommandStep;
import io.romadr.plan.ExecCheck;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.scenario.servicefailure.ActionResult;
import io.romadr.scenario.servicefailure.Assessment;
import io.romadr.scenario.servicefailure.ContainerStatus;
import io.romadr.scenario.servicefailure.HealthRequest;
import io.romadr.scenario.servicefailure.HealthResult;
import io.romadr.scenario.servicefailure.RecreateRequest;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Docker activities called directly (as activities, so the execution context exists) on the real engine. */
@org.junit.jupiter.api.Tag("integration")
class DockerServiceActivitiesTest {
    private final DockerClient docker = DockerTestSupport.docker();
    private final String project = DockerTestSupport.project();
    private final List<String> volumes = new ArrayList<>();
    private TestActivityEnvironment env;
    private ServiceActivities activities;
    private SandboxService sandbox;

    @BeforeEach
    void setUp() {
        SandboxImage.ensure(docker);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerServiceActivities(docker, new HttpProbe(),
                new HostCommandRunner()));
        activities = env.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setHeartbeatTimeout(Duration.ofSeconds(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        if (sandbox != null) {
            sandbox.destroy();
        }
        for (var c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec()) {
            docker.removeContainerCmd(c.getId()).withForce(true).exec();
        }
        for (String v : volumes) {
            try {
                docker.removeVolumeCmd(v).exec();
            } catch (NotFoundException e) {
                // gone
            }
        }
        env.close();
    }

    private ServiceSpec sandboxSpec() {
        sandbox = SandboxService.create(docker, project, SandboxImage.DEFAULT_IMAGE, SandboxService.Options.defaults());
        return new PlanLoader().parse("t.yaml", sandbox.planYaml("t", "15m", "20s", "500ms", "5s", "2s", "1s"))
                .service();
    }

    private void assertServing() {
        for (String s : sandbox.services()) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (DockerTestSupport.status(sandbox.healthUrl(s)) != 200) {
                assertTrue(System.nanoTime() < deadline, s + " does not answer 200");
                Thread.onSpinWait();
            }
        }
    }

    private String key(String id) {
        return docker.inspectContainerCmd(id).exec().getConfig().getLabels()
                .get(DockerServiceActivities.LABEL_RECOVERY_KEY);
    }

    @Test
    void recreateTwiceWithTheSameKeyChangesNothingTheSecondTime() {
        ServiceSpec spec = sandboxSpec();
        List<String> before = sandbox.services().stream().map(sandbox::containerId).toList();

        ActionResult first = activities
                .recreate(new RecreateRequest(spec, Duration.ofSeconds(5), "wf/1/recreate", List.of()));
        assertTrue(first.changed(), first.detail());
        assertEquals(1, first.attempt());
        List<String> after = sandbox.services().stream().map(sandbox::containerId).toList();
        for (int i = 0; i < after.size(); i++) {
            assertNotEquals(before.get(i), after.get(i));
            assertEquals("wf/1/recreate", key(after.get(i)));
        }
        assertServing();
        List<Instant> started = sandbox.services().stream().map(sandbox::startedAt).toList();

        ActionResult second = activities
                .recreate(new RecreateRequest(spec, Duration.ofSeconds(5), "wf/1/recreate", List.of()));
        assertFalse(second.changed(), second.detail());
        assertTrue(second.detail().contains("already recreated by an earlier attempt"), second.detail());
        assertEquals(after, sandbox.services().stream().map(sandbox::containerId).toList());
        assertEquals(started, sandbox.services().stream().map(sandbox::startedAt).toList());
        assertServing();
    }

    @Test
    void slowRestartHeartbeatsPastTheHeartbeatTimeout() {
        // Without init, httpd is PID 1 and ignores SIGTERM: each stop waits the full stop timeout (7 s > 5 s).
        sandbox = SandboxService.create(docker, project, SandboxImage.DEFAULT_IMAGE,
                new SandboxService.Options(0, false));
        ServiceSpec spec = new PlanLoader().parse("t.yaml", sandbox.planYaml("t", "15m", "20s", "500ms", "7s", "2s",
                "1s")).service();
        ServiceSpec romaOnly = new ServiceSpec(project, List.of(spec.containers().get(0)), spec.healthChecks(), null,
                null, 5);
        Instant before = sandbox.startedAt("roma");
        List<Object> heartbeats = new java.util.concurrent.CopyOnWriteArrayList<>();
        env.setActivityHeartbeatListener(Object.class, heartbeats::add);
        long start = System.nanoTime();
        ActionResult r = activities.restart(
                new io.romadr.scenario.servicefailure.RestartRequest(romaOnly, Duration.ofSeconds(7), List.of()));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(r.changed(), r.detail());
        assertTrue(ms >= 6000, "restart took only " + ms + " ms");
        // The SDK throttles heartbeats to ~0.8 x the heartbeat timeout; that the 5 s timeout never fired during a
        // 7+ s restart is the proof, the listener just shows they were sent.
        assertTrue(heartbeats.size() >= 1, "heartbeats: " + heartbeats.size());
        assertTrue(sandbox.startedAt("roma").isAfter(before));
        assertEquals(200, DockerTestSupport.status(sandbox.healthUrl("roma")));
    }

    @Test
    void leftoverOldContainerFromACrashIsTheSource() {
        ServiceSpec spec = sandboxSpec();
        String id = sandbox.containerId("roma");
        String name = sandbox.containerName("roma");
        // A crash right after "stop and rename": only the renamed original is left.
        sandbox.stop("roma");
        docker.renameContainerCmd(id).withName(name + DockerServiceActivities.OLD_SUFFIX).exec();
        assertNull(sandbox.containerId("roma"));

        ActionResult r = activities
                .recreate(new RecreateRequest(spec, Duration.ofSeconds(5), "wf/2/recreate", List.of()));
        assertTrue(r.changed(), r.detail());
        String fresh = sandbox.containerId("roma");
        assertNotNull(fresh);
        assertNotEquals(id, fresh);
        assertEquals("/" + name, docker.inspectContainerCmd(fresh).exec().getName());
        assertThrows(NotFoundException.class, () -> docker.inspectContainerCmd(id).exec(), "old container removed");
        assertServing();

        // Still "assess" sees both running and nothing missing.
        Assessment a = activities.assess(spec);
        assertTrue(a.allRunning(), a.summary());
    }

    @Test
    void volumesSurviveARecreate() {
        String volume = project + "-data";
        volumes.add(volume);
        String id = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-data-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "data"))
                .withCmd("sh", "-c", "echo started password=hunter2; exec sleep 3600")
                .withEnv("ROMA_SECRET_TOKEN=never-in-history")
                .withVolumes(new Volume("/anon"))
                .withHostConfig(HostConfig.newHostConfig().withInit(true)
                        .withBinds(new Bind(volume, new Volume("/data"))))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        String anon = docker.inspectContainerCmd(id).exec().getMounts().stream()
                .filter(m -> "/anon".equals(m.getDestination().getPath())).findFirst().orElseThrow().getName();
        volumes.add(anon);
        var write = ServiceChecks.exec(docker, id,
                List.of("sh", "-c", "echo named > /data/f && echo anonymous > /anon/f"), Duration.ofSeconds(10));
        assertEquals(0, write.exitCode(), write.output());

        ServiceSpec spec = new ServiceSpec(project, List.of(new ServiceContainer("data", null)),
                List.of(new HealthCheck("data-file", null, new ExecCheck("data", List.of("cat", "/data/f"), null))),
                null, null, 10);

        Assessment a = activities.assess(spec);
        assertTrue(a.engineReachable());
        assertTrue(a.diskTotalBytes() > 0 && a.diskFreeBytes() > 0);
        ContainerStatus st = a.containers().get(0);
        assertEquals("running", st.state());
        assertTrue(st.logTail().contains("started password=****"), st.logTail());
        assertFalse(st.logTail().contains("hunter2"), st.logTail());

        ActionResult r = activities
                .recreate(new RecreateRequest(spec, Duration.ofSeconds(5), "wf/3/recreate", List.of()));
        assertTrue(r.changed(), r.detail());
        assertFalse(r.detail().contains("never-in-history"));
        String fresh = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerServiceActivities.LABEL_PROJECT, project)).exec().get(0).getId();
        assertNotEquals(id, fresh);
        InspectContainerResponse i = docker.inspectContainerCmd(fresh).exec();
        assertTrue(i.getState().getRunning());
        assertTrue(List.of(i.getConfig().getEnv()).contains("ROMA_SECRET_TOKEN=never-in-history"));
        var read = ServiceChecks.exec(docker, fresh, List.of("sh", "-c", "cat /data/f /anon/f"),
                Duration.ofSeconds(10));
        assertEquals("named\nanonymous\n", read.output());

        HealthResult h = activities.check(HealthRequest.once(project, spec.healthChecks()));
        assertTrue(h.healthy(), h.summary());
        assertTrue(h.checks().get(0).detail().startsWith("exit 0"), h.checks().get(0).detail());
    }

    @Test
    void assessLooksAtEveryServiceAtOnceAndReportsEachInThePlansOrder() {
        ServiceSpec sandboxed = sandboxSpec();
        sandbox.awaitHealthy(Duration.ofSeconds(30));
        sandbox.kill("roma");
        List<ServiceContainer> services = new ArrayList<>(sandboxed.containers());
        services.add(1, new ServiceContainer("ghost", null));
        ServiceSpec spec = new ServiceSpec(project, services, sandboxed.healthChecks(), sandboxed.smoke(), null, 20);

        Assessment a = activities.assess(spec);

        assertTrue(a.engineReachable());
        assertFalse(a.engineVersion().isBlank());
        assertTrue(a.diskTotalBytes() > 0 && a.diskFreeBytes() > 0);
        assertEquals(List.of("roma", "roma-api"), a.containers().stream().map(ContainerStatus::service).toList());
        ContainerStatus roma = a.containers().get(0);
        assertEquals("exited", roma.state());
        assertEquals(137, roma.exitCode());
        assertEquals(sandbox.containerName("roma"), roma.name());
        assertEquals("running", a.containers().get(1).state());
        assertEquals(List.of("ghost"), a.missingServices());
        assertEquals(List.of("ghost", "roma"), a.brokenServices());
    }

    @Test
    void restartStartsAKilledContainerAndACallAgainWithTheSameStepStartRestartsNothing() {
        ServiceSpec spec = sandboxSpec();
        sandbox.awaitHealthy(Duration.ofSeconds(30));
        Instant apiStarted = sandbox.startedAt("roma-api");
        sandbox.kill("roma");
        long stepStart = System.currentTimeMillis();

        ActionResult first = activities.restart(new io.romadr.scenario.servicefailure.RestartRequest(spec,
                Duration.ofSeconds(5), List.of("roma"), stepStart));
        assertTrue(first.changed(), first.detail());
        assertEquals("restarted " + sandbox.containerName("roma"), first.detail());
        assertServing();

        ActionResult again = activities.restart(new io.romadr.scenario.servicefailure.RestartRequest(spec,
                Duration.ofSeconds(5), List.of("roma"), stepStart));
        assertFalse(again.changed(), again.detail());
        assertEquals("already restarted by an earlier attempt: " + sandbox.containerName("roma"), again.detail());
        assertEquals(apiStarted, sandbox.startedAt("roma-api"), "the healthy neighbour is left alone");
    }

    @Test
    void goneContainerWithoutTemplateFailsClearly() {
        ServiceSpec spec = new ServiceSpec(project, List.of(new ServiceContainer("ghost", null)),
                List.of(new HealthCheck("h", new HttpCheck("http://127.0.0.1:9/", null, null), null)),
                null, null, null);
        Assessment a = activities.assess(spec);
        assertEquals(List.of("ghost"), a.missingServices());
        ActivityFailure f = assertThrows(ActivityFailure.class,
                () -> activities.recreate(new RecreateRequest(spec, Duration.ofSeconds(1), "k", List.of())));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable());
        assertEquals("container for service ghost is gone and the plan has no template for it",
                cause.getOriginalMessage());
    }

    @Test
    void waitHealthyGivesUpAfterItsTimeAndRunCommandReportsExitCodes() {
        ServiceSpec spec = new ServiceSpec(project, List.of(new ServiceContainer("x", null)),
                List.of(new HealthCheck("down", new HttpCheck("http://127.0.0.1:9/", null, Duration.ofMillis(500)),
                        null),
                        new HealthCheck("no-container", null, new ExecCheck("x", List.of("true"), null))),
                null, null, null);
        HealthResult h = activities.waitHealthy(new HealthRequest(project, spec.healthChecks(), Duration.ofMillis(1500),
                Duration.ofMillis(500)));
        assertFalse(h.healthy());
        assertTrue(h.probes() >= 2, "probes " + h.probes());
        assertTrue(h.checks().get(1).detail().contains("no running container for service x"), h.summary());

        ActionResult ok = activities.runCommand(new CommandStep("echo", List.of("sh", "-c", "echo built"), null,
                null, Duration.ofSeconds(10)));
        assertTrue(ok.detail().contains("built"), ok.detail());
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> activities.runCommand(new CommandStep("fail",
                List.of("sh", "-c", "echo token=abc123; exit 3"), null, null, Duration.ofSeconds(10))));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertFalse(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains("exited with 3"), cause.getOriginalMessage());
        assertFalse(cause.getOriginalMessage().contains("abc123"), cause.getOriginalMessage());
    }

    @Test
    void watchProbesForItsWindowStopsAtARelapseAndResumesFromItsHeartbeat() throws Exception {
        int[] status = {200};
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        http.start();
        try {
            List<HealthCheck> checks = List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:"
                    + http.getAddress().getPort() + "/health", 200, Duration.ofSeconds(1)), null));
            HealthResult watched = activities.watch(new HealthRequest(project, checks, Duration.ofMillis(1500),
                    Duration.ofMillis(300)));
            assertTrue(watched.healthy(), watched.summary());
            assertTrue(watched.probes() >= 4 && watched.probes() <= 5, "probes " + watched.probes());
            assertTrue(watched.waitedMillis() >= 1500, "watched " + watched.waitedMillis() + " ms");

            status[0] = 503;
            HealthResult relapse = activities.watch(new HealthRequest(project, checks, Duration.ofMinutes(1),
                    Duration.ofMillis(300)));
            assertFalse(relapse.healthy());
            assertEquals(1, relapse.probes());
            assertTrue(relapse.waitedMillis() < 10_000, "relapse seen after " + relapse.waitedMillis() + " ms");

            // A retried attempt resumes the window and the count where the dead one stopped: a second is left.
            status[0] = 200;
            env.setHeartbeatDetails(new DockerServiceActivities.WatchProgress(System.currentTimeMillis() - 1000, 3));
            long start = System.currentTimeMillis();
            HealthResult resumed = activities.watch(new HealthRequest(project, checks, Duration.ofMillis(1500),
                    Duration.ofMillis(300)));
            assertTrue(resumed.healthy(), resumed.summary());
            assertTrue(resumed.probes() >= 4 && resumed.probes() <= 5, "probes " + resumed.probes());
            assertTrue(System.currentTimeMillis() - start < 1_200, "the window started again");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void unreachableEngineIsAnAnswerNotAnError() {
        TestActivityEnvironment other = TestActivityEnvironment.newInstance();
        try {
            other.registerActivitiesImplementations(new DockerServiceActivities(
                    DockerClients.forHost("unix:///tmp/roma-dr-no-such-engine.sock"), new HttpProbe(),
                    new HostCommandRunner()));
            ServiceActivities stub = other.newActivityStub(ServiceActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30)).build());
            Assessment a = stub.assess(new ServiceSpec(project, List.of(new ServiceContainer("roma", null)),
                    List.of(new HealthCheck("h", new HttpCheck("http://127.0.0.1:9/", null, null), null)),
                    null, null, null));
            assertFalse(a.engineReachable());
            assertEquals("Docker engine unreachable", a.summary());
        } finally {
            other.close();
        }
    }
}
