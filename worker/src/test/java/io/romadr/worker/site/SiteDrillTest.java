package io.romadr.worker.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.drill.DockerDrillActivities;
import io.romadr.activities.drill.SiteFaults;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.site.DnsProviders;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.scenario.drill.DocumentStateRequest;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.worker.EmbeddedStack;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * Scenario 3's drill fault and independent checks against the real recovery, every system real ({@link SiteFixture}):
 * the site documented, lost by {@code remove-site}, rebuilt by the real {@code SiteRecoveryWorkflow} from the backups,
 * and found recovered by the drill's own checks (health, a new server, DNS at it, state and artifacts as before).
 */
@org.junit.jupiter.api.Tag("integration")
class SiteDrillTest {
    static final String BOOTSTRAP = "mkdir -p /srv/roma/tools && echo installed > /srv/roma/tools/marker";

    /** The drill's activities as the worker wires them, with the fixture's sites directory. */
    static DockerDrillActivities drillActivities(DockerClient docker, SiteFixture site) {
        return new DockerDrillActivities(docker, null, null, null, List.of(new SiteFaults(docker,
                new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner()),
                (provider, spec) -> new DockerHostCompute(docker, site.sites), new DnsProviders(
                        AnonymousCredentialsProvider.create(), Duration.ofMinutes(1), Duration.ofMillis(500)))));
    }

    @Test
    void theSiteLostByTheDrillIsFoundRecoveredAfterTheRealRecovery(@TempDir Path dir) throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String queue = "roma-dr-site-drill-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedStack stack = new EmbeddedStack(queue)) {
            SiteFixture site = stack.closeLater(new SiteFixture(dir, docker, "site-drill"));
            RecoveryPlan plan = new PlanLoader().parse(site.plan + ".yaml", site.writePlan(BOOTSTRAP, ""));
            stack.startWorker(site.activities());
            TestActivityEnvironment env = TestActivityEnvironment.newInstance();
            stack.closeLater(env::close);
            env.registerActivitiesImplementations(drillActivities(docker, site));
            DrillActivities drill = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build());

            site.startOldSite();
            site.backUp(stack.address(), queue);
            DrillState before = drill.documentState(new DocumentStateRequest("site-loss", plan));
            assertEquals(Sha256.hex("42\n"), before.fingerprints().get("site:state:cursor"),
                    before.fingerprints().toString());
            assertEquals("10.0.0.1", before.fingerprints().get("site:dns"), before.fingerprints().toString());

            FaultResult lost = drill.injectFault(new FaultRequest("site-loss", plan, "remove-site", "", System
                    .currentTimeMillis() - 1000));
            assertTrue(lost.injected(), lost.detail());
            assertEquals("removed " + site.project + "-app-1", lost.detail());
            assertTrue(site.services().isEmpty(), "the site's container is gone");
            DrillVerification down = drill.verifyRecovered(new VerifyRecoveredRequest("site-loss", plan, before));
            assertFalse(down.ok(), down.checks().toString());

            SiteRecoveryWorkflow recovery = stack.client().newWorkflowStub(SiteRecoveryWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId("site-drill-" + site.run)
                            .build());
            WorkflowClient.start(recovery::recover, new SiteRecoveryRequest(site.plan, null, "drill", "site-loss "
                    + "drill", null));
            SiteRecoveryReport r = WorkflowStub.fromTyped(recovery).getResult(5, TimeUnit.MINUTES,
                    SiteRecoveryReport.class);
            assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.steps());

            DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("site-loss", plan, before));
            assertTrue(up.ok(), up.problems() + "\n" + up.checks());
            assertEquals("None", up.dataLoss());
            assertTrue(up.checks().containsAll(List.of("health check secret-present: ok",
                    "DNS " + SiteFixture.RECORD + " A: " + r.server().address() + " = the new server's address",
                    "state app:/app/.roma: 1 of 1 file(s) as before the loss")), up.checks().toString());
        }
    }

    /**
     * The same drill as one {@link DrillWorkflow}: needs the DrillWorkflowImpl that drills site-loss (built by the
     * lead in parallel); with the Scenario 1-only one it fails.
     */
    @Test
    void aSiteLossDrillWorkflowRecoversTheSiteWithoutDataLoss(@TempDir Path dir) throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String queue = "roma-dr-site-drill-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedStack stack = new EmbeddedStack(queue)) {
            SiteFixture site = stack.closeLater(new SiteFixture(dir, docker, "site-drill-wf"));
            site.writePlan(BOOTSTRAP, "");
            stack.startWorker(site.activities().withDrill(drillActivities(docker, site)));
            site.startOldSite();
            site.backUp(stack.address(), queue);

            DrillWorkflow drill = stack.client().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(queue).setWorkflowId("drill-" + site.plan)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            WorkflowClient.start(drill::drill, new DrillRequest(site.plan, "site-loss", "", "", "carol", "olga",
                    "oscar", "mia", Duration.ofMinutes(15), Duration.ofMinutes(5), "junit"));
            drill.signOff(new DrillSignOff("operator", "olga", ""));
            drill.signOff(new DrillSignOff("observer", "oscar", ""));
            drill.signOff(new DrillSignOff("manager", "mia", "ok"));
            DrillReport report = WorkflowStub.fromTyped(drill).getResult(6, TimeUnit.MINUTES, DrillReport.class);

            assertEquals(Boolean.TRUE, report.success(), report.summary() + " " + report.issues() + " "
                    + report.timeline());
            assertEquals("None", report.dataLoss());
            assertTrue(report.timeline().stream().anyMatch(t -> t.action().equals("inject-fault") && t.result()
                    .contains("removed " + site.project + "-app-1")), report.timeline().toString());
            assertEquals(1, site.servers().size(), "one new server");
            assertEquals(List.of(docker.inspectContainerCmd(site.servers().get(0).getId()).exec()
                    .getNetworkSettings().getNetworks().values().iterator().next().getIpAddress()),
                    site.record().values());
        }
    }
}
