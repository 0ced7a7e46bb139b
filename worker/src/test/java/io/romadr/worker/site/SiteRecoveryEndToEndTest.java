package io.romadr.worker.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import com.github.dockerjava.api.model.Container;
import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.report.Outcome;
import io.romadr.scenario.siteloss.PhaseRecord;
import io.romadr.scenario.siteloss.SiteRecoveryReport;
import io.romadr.scenario.siteloss.SiteRecoveryRequest;
import io.romadr.scenario.siteloss.SiteRecoveryWorkflow;
import io.romadr.worker.EmbeddedStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 3 end to end on the docker provider, every system real: from "nothing running" (the site's container and
 * data gone, the primary git remote and the primary registry down) to a healthy service on a new server with its
 * secret (from the OpenPGP backup), state (from the snapshot), artifacts and source restored, its image pulled from
 * the backup registry, and the local zone's record pointing at the new server.
 */
@org.junit.jupiter.api.Tag("integration")
class SiteRecoveryEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-site-e2e";

    static DockerClient docker;
    static SiteFixture site;
    static EmbeddedStack stack;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        stack = new EmbeddedStack(TASK_QUEUE);
        docker = DockerTestSupport.dockerWithSandboxImage();
        site = stack.closeLater(new SiteFixture(dir, docker, "site"));
        site.writePlan("mkdir -p /srv/roma/tools && echo installed > /srv/roma/tools/marker", "");
        stack.startWorker(site.activities());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void fromNothingToAHealthyServiceOnANewServerWithDnsPointingAtIt() throws Exception {
        site.startOldSite();
        site.backUp(stack.address(), TASK_QUEUE);
        site.destroy();
        assertTrue(site.services().isEmpty(), "the old site's container is gone");

        SiteRecoveryWorkflow workflow = stack.client().newWorkflowStub(SiteRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(TASK_QUEUE).setWorkflowId("site-e2e-" + site.run).build());
        WorkflowClient.start(workflow::recover, new SiteRecoveryRequest(site.plan, null, "e2e", "total loss", null));
        SiteRecoveryReport r = WorkflowStub.fromTyped(workflow).getResult(5, TimeUnit.MINUTES,
                SiteRecoveryReport.class);

        assertEquals(Outcome.RECOVERED, r.outcome(), r.summary() + "\n" + r.steps());
        // Source from the backup remote, image from the backup registry: the primaries are down.
        assertEquals("backup", r.source().remote(), r.source().toString());
        assertTrue(r.source().skipped().get(0).startsWith("origin:"), r.source().skipped().toString());
        assertEquals("backup", r.images().registry(), r.images().toString());
        assertTrue(r.images().resolved().values().iterator().next().startsWith(site.backupRegistry.hostAndPort()),
                r.images().toString());
        assertEquals(List.of("API_TOKEN"), r.secrets().variables());
        assertFalse(r.stateBackup().isBlank());
        assertFalse(r.artifactsBackup().isBlank());

        // The service answers with what only the restores could have given it.
        assertEquals("200 42", site.get("/cursor"));
        assertEquals("200 " + site.secret, site.get("/token"));
        assertEquals("200 " + site.sourceMarker, site.get("/index.html"));
        Path newOut = site.serverDisk().resolve("roma/out");
        assertEquals("{\"events\": [1, 2, 3]}", Files.readString(newOut.resolve("today.json")).strip());
        // The env file on the server holds the secret, readable only by its owner.
        Path envFile = site.serverDisk().resolve("roma/.env");
        assertEquals("API_TOKEN=" + site.secret, Files.readString(envFile).strip());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(envFile)));
        // Nothing secret in the workflow's history.
        String history = stack.client().fetchHistory("site-e2e-" + site.run).toJson(false);
        assertFalse(history.contains(site.secret), "the secret's value is in the workflow history");
        // The plan's env names a file of the worker: its value reached the service container (and the build step,
        // which checks it and prints it: its output is masked), never the history or the report.
        // (text form: payload bytes as they are; the JSON form above shows them as base64)
        String text = stack.client().fetchHistory("site-e2e-" + site.run).getHistory().toString();
        assertTrue(text.contains(site.planSecretFile.toString()), "the history names the file");
        assertTrue(text.contains("using ****"), "the build step's output, masked, is in its result");
        assertFalse(text.contains(site.planSecret) || history.contains(site.planSecret) || r.toString().contains(
                site.planSecret), "the plan's env value is in the workflow history or report");
        List<String> serviceEnv = java.util.Arrays.asList(docker.inspectContainerCmd(site.services().get(0).getId())
                .exec().getConfig().getEnv());
        assertTrue(serviceEnv.contains("PLAN_SECRET=" + site.planSecret) && serviceEnv.contains("MODE=e2e"),
                serviceEnv.toString());

        // One server, one service container on it, and the record points at the server.
        List<Container> servers = site.servers();
        assertEquals(1, servers.size());
        String siteKey = servers.get(0).getLabels().get(DockerHostCompute.SITE_KEY_LABEL);
        List<Container> services = site.services();
        assertEquals(1, services.size());
        assertEquals(siteKey, services.get(0).getLabels().get(DockerHostCompute.SITE_KEY_LABEL));
        assertEquals(List.of(r.server().address()), site.record().values());
        assertEquals(1, site.zoneChanges().stream().filter(l -> l.contains("site-e2e-" + site.run)).count(),
                site.zoneChanges().toString());
        assertEquals("10.0.0.1", r.dnsBefore().values().get(0));

        // Every phase ran, within its budget, and the report says so.
        assertEquals(5, r.phases().size());
        for (PhaseRecord p : r.phases()) {
            assertNotNull(p.endedAt(), p.name());
            assertFalse(p.overBudget(), p.name());
        }
        System.out.println(r.summary());
    }
}
