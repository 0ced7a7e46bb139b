package io.romadr.worker.alertmanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmdResponse;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Auth;
import io.romadr.activities.alertmanager.AlertmanagerProcess.Config;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.ExecExitCode;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.poll.Deadline;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.report.RunFailure;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.worker.alertmanager.InProcessHost.Route;
import io.romadr.worker.alertmanager.InProcessHost.Run;
import io.romadr.worker.monitoring.PrometheusProcess;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alerting drill with every part real: a sandbox service whose {@code roma} container serves a static metrics page,
 * a real Prometheus scraping it (1 s) with the rule {@code up == 0 for 0s}, a real Alertmanager sending its webhook to
 * the worker host in this JVM (Dropwizard, embedded Temporal, production activities), and the drill on that host. The
 * drill kills {@code roma} and starts no recovery: the alert does, through the webhook, and the drill follows it.
 */
@org.junit.jupiter.api.Tag("integration")
class AlertingDrillEndToEndTest {
    static final String TOKEN = "alerting-drill-" + UUID.randomUUID();
    static final String JOB = "roma-sandbox";
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** One alerting drill, every part real; the host's route matches alerts of {@code routedService}. */
    record Drilled(String name, DrillReport report, List<Run> runs, boolean romaRunning) {
    }

    private static Drilled drill(Path dir, String routedService, Duration alertTimeout) throws Exception {
        AlertmanagerProcess.binary(); // fails here, clearly, when Alertmanager is not installed
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String name = "alerting-" + UUID.randomUUID().toString().substring(0, 8);
        SandboxService sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                SandboxService.Options.defaults());
        try {
            sandbox.awaitHealthy(TIMEOUT);
            serveMetricsPage(docker, sandbox.containerId("roma"));
            Path plans = Files.createDirectories(dir.resolve("plans"));
            Files.writeString(plans.resolve(name + ".yaml"),
                    sandbox.planYaml(name, "5m", "60s", "250ms", "2s", "0s", "1s"));
            Path rules = dir.resolve("rules.yml");
            Files.writeString(rules, """
                    groups:
                      - name: roma-sandbox
                        rules:
                          - alert: RomaDown
                            expr: up{job="%s"} == 0
                            for: 0s
                            labels: {service: roma, severity: critical}
                            annotations: {summary: "the ROMA sandbox does not answer its scrape"}
                    """.formatted(JOB));
            try (InProcessHost host = InProcessHost.start(plans, TOKEN,
                    List.of(new Route(Map.of("alertname", "RomaDown", "service", routedService), name)));
                    AlertmanagerProcess am = AlertmanagerProcess.start(Config.of(host.alertmanagerWebhook(),
                            new Auth.Bearer(TOKEN)));
                    PrometheusProcess prometheus = PrometheusProcess.scraping(JOB, "127.0.0.1:"
                            + sandbox.hostPort("roma"), "/metrics", "127.0.0.1:" + am.port(), List.of(rules))) {
                awaitUp(prometheus); // scraped and up before the fault, so only the fault can fire the alert

                DrillWorkflow drill = host.client().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(InProcessHost.TASK_QUEUE).setWorkflowId(name)
                        .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
                WorkflowClient.start(drill::drill, new DrillRequest(name, "service-failure", "kill:roma", "",
                        "carol", "olga", "oscar", "mia", null, Duration.ofMinutes(5), "junit", true, alertTimeout));
                drill.signOff(new DrillSignOff("operator", "olga", ""));
                drill.signOff(new DrillSignOff("observer", "oscar", ""));
                drill.signOff(new DrillSignOff("manager", "mia", ""));

                DrillReport r;
                try {
                    r = WorkflowStub.fromTyped(drill).getResult(4, TimeUnit.MINUTES, DrillReport.class);
                } catch (WorkflowFailedException failed) {
                    r = RunFailure.reportOf(failed, DrillReport.class);
                }
                String roma = sandbox.containerId("roma");
                return new Drilled(name, r, host.runs(), roma != null && Boolean.TRUE.equals(
                        docker.inspectContainerCmd(roma).exec().getState().getRunning()));
            }
        } finally {
            sandbox.destroy();
        }
    }

    @Test
    void theAlertStartsTheRecoveryTheDrillFollowsItAndMeasuresTheDelays(@TempDir Path dir) throws Exception {
        Drilled d = drill(dir, "roma", Duration.ofMinutes(2));
        DrillReport r = d.report();
        String name = d.name();

        assertEquals(Boolean.TRUE, r.success(), r.summary() + " " + r.issues() + " " + r.timeline());
        assertTrue(d.romaRunning());
        String recovery = RecoveryStarter.workflowId("service-failure", name);
        assertEquals(recovery, r.recoveryWorkflowId());
        // One recovery, the webhook's (its canonical ID), none of the drill's own (<drill>-recovery). The
        // embedded server's list ignores the type filter: the drill itself is left out here.
        assertEquals(List.of(recovery), d.runs().stream().map(Run::workflowId).filter(id -> !id.equals(name))
                .toList(), d.runs()::toString);
        // Started by the alert: its first trigger, recorded in its timeline, came from Alertmanager.
        TimelineRow trigger = r.timeline().stream().filter(t -> t.phase().equals("recovery")
                && t.action().equals("trigger-firing")).findFirst().orElseThrow(() -> new AssertionError(
                        "no trigger-firing in " + r.timeline()));
        assertTrue(trigger.result().startsWith("Success: alertmanager alert ")
                && trigger.result().contains("RomaDown: the ROMA sandbox does not answer its scrape"),
                trigger.result());
        assertTrue(row(r, "await-alert").result().startsWith("Success: recovery " + recovery
                + " started by alertmanager (RomaDown"), row(r, "await-alert").result());

        TimelineRow firing = row(r, "fault -> alert firing");
        TimelineRow started = row(r, "alert -> recovery started");
        TimelineRow total = row(r, "fault -> recovery started");
        for (TimelineRow delay : List.of(firing, started, total)) {
            assertEquals("alerting", delay.phase());
            assertFalse(delay.result().contains("BEFORE"), delay.result());
            assertTrue(delay.durationMillis() > 0 && delay.durationMillis() < TIMEOUT.toMillis(),
                    delay.toString());
        }
        assertEquals(firing.atMillis(), total.atMillis(), "both measured from the fault");
        assertEquals(firing.atMillis() + firing.durationMillis(), started.atMillis(), "the alert fired");
        assertEquals(firing.durationMillis() + started.durationMillis(), total.durationMillis());
        TimelineRow injected = row(r, "inject-fault");
        assertTrue(firing.atMillis() <= injected.atMillis() + injected.durationMillis(),
                "the fault is measured from its injection: " + firing + " " + injected);
        assertNotNull(r.rtoActualMillis());
        assertTrue(r.rtoActualMillis() > total.durationMillis(), "the RTO includes the alerting delays");
        assertTrue(r.timeline().stream().anyMatch(t -> t.phase().equals("recovery")
                && t.action().equals("restart")), r.timeline().toString());
        System.out.printf("%n[alerting drill] fault -> alert firing %d ms; alert -> recovery started %d ms;"
                + " fault -> recovery started %d ms; RTO actual %d ms%n%n", firing.durationMillis(),
                started.durationMillis(), total.durationMillis(), r.rtoActualMillis());
    }

    @Test
    void anAlertThatStartsNothingFailsTheDrillWhichStartsNoRecoveryItself(@TempDir Path dir) throws Exception {
        // The alert fires, but no route of the host takes it: the webhook starts nothing.
        Drilled d = drill(dir, "some-other-service", Duration.ofSeconds(20));
        DrillReport r = d.report();

        assertEquals(Boolean.FALSE, r.success(), r.summary());
        assertTrue(r.summary().startsWith("Drill failed: the alert did not fire / the webhook did not start a"
                + " recovery within 20s"), r.summary());
        assertTrue(r.issues().stream().anyMatch(i -> i.startsWith("The alert did not fire / the webhook did not"
                + " start a recovery within 20s of the fault")), r.issues().toString());
        assertEquals(List.of(), d.runs().stream().map(Run::workflowId).filter(id -> !id.equals(d.name())).toList(),
                d.runs()::toString);
        assertFalse(d.romaRunning(), "nobody recovered the killed container");
        assertTrue(r.timeline().stream().noneMatch(t -> t.action().contains("->")), r.timeline().toString());
    }

    /**
     * A static Prometheus page next to {@code /health}: kept across a restart (the container's own layer), gone
     * with the killed httpd, so the scrape's {@code up} follows the service.
     */
    private static void serveMetricsPage(DockerClient docker, String containerId) throws Exception {
        ExecCreateCmdResponse exec = docker.execCreateCmd(containerId)
                .withCmd("sh", "-c", "echo 'roma_sandbox_info 1' > /www/metrics").exec();
        docker.execStartCmd(exec.getId()).start().awaitCompletion(10, TimeUnit.SECONDS);
        assertEquals(0L, ExecExitCode.await(docker, exec.getId(), Duration.ofSeconds(10)), "writing /www/metrics");
    }

    private static void awaitUp(PrometheusProcess prometheus) throws Exception {
        Deadline deadline = Deadline.after(TIMEOUT);
        String query = "up{job=\"" + JOB + "\"} == 1";
        while (prometheus.query(query).isEmpty()) {
            if (deadline.passed()) {
                throw new AssertionError("Prometheus did not scrape the sandbox as up within " + TIMEOUT);
            }
            Deadline.pause(deadline.next(Duration.ofMillis(200)));
        }
    }

    private static TimelineRow row(DrillReport r, String action) {
        return r.timeline().stream().filter(t -> t.action().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " in " + r.timeline()));
    }
}
