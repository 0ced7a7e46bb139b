package io.romadr.worker.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReport.TimelineRow;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.DrillWorkflow.DrillNote;
import io.romadr.scenario.drill.DrillWorkflow.DrillSignOff;
import io.romadr.worker.EmbeddedStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Scenario 1 drill on the embedded stack with the production host (as the embedded drills run it): the real
 * {@code DockerDrillActivities} kill a sandbox container, the real recovery brings it back as the drill's child, and
 * the drill passes.
 */
@org.junit.jupiter.api.Tag("integration")
class DrillEndToEndTest {

    @Test
    void aKilledSandboxContainerIsRecoveredAndTheDrillPasses(@TempDir Path dir) throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String name = "drill-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedStack stack = new EmbeddedStack("roma-dr-" + name)) {
            SandboxService sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                    SandboxService.Options.defaults());
            stack.closeLater(sandbox::destroy);
            sandbox.awaitHealthy(Duration.ofSeconds(60));
            Path plans = Files.createDirectories(dir.resolve("plans"));
            Files.writeString(plans.resolve(name + ".yaml"),
                    sandbox.planYaml(name, "5m", "60s", "250ms", "2s", "0s", "1s"));
            String romaBefore = sandbox.containerId("roma");
            // The production host, started as the embedded drills start it.
            stack.startHost(dir, plans);

            DrillWorkflow drill = stack.client().newWorkflowStub(DrillWorkflow.class, WorkflowOptions.newBuilder()
                    .setTaskQueue(stack.taskQueue()).setWorkflowId(name)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            WorkflowClient.start(drill::drill, new DrillRequest(name, "service-failure", "kill:roma", "", "carol",
                    "olga", "oscar", "mia", null, Duration.ofMinutes(5), "junit"));
            drill.note(new DrillNote("oscar", "nobody watched the dashboard"));
            drill.signOff(new DrillSignOff("operator", "olga", ""));
            drill.signOff(new DrillSignOff("observer", "oscar", ""));
            drill.signOff(new DrillSignOff("manager", "mia", "ok"));

            DrillReport r = WorkflowStub.fromTyped(drill).getResult(3, TimeUnit.MINUTES, DrillReport.class);

            assertEquals(Boolean.TRUE, r.success(), r.summary() + " " + r.issues() + " " + r.timeline());
            assertNotNull(r.rtoActualMillis());
            assertTrue(r.rtoActualMillis() < Duration.ofMinutes(5).toMillis(), r.rtoActualMillis() + " ms");
            assertEquals(Duration.ofMinutes(5).toMillis(), r.rtoTargetMillis());
            assertEquals("None", r.dataLoss());
            assertTrue(r.stateBefore().stream().anyMatch(l -> l.startsWith("container "
                    + sandbox.containerName("roma") + " (roma): running, image ")), r.stateBefore().toString());
            assertEquals("Success: killed " + sandbox.containerName("roma") + " (SIGKILL)", row(r, "inject-fault")
                    .result());
            assertTrue(r.timeline().stream().anyMatch(t -> t.phase().equals("recovery") && t.action().equals(
                    "restart")), r.timeline().toString());
            assertTrue(row(r, "verify-recovered").result().contains("roma running image "), row(r,
                    "verify-recovered").result());
            assertTrue(row(r, "verify-recovered").result().contains(" as before"), row(r, "verify-recovered")
                    .result());
            assertEquals(List.of("olga", "oscar", "mia"), r.signOffs().stream().map(DrillReport.SignOffRecord::name)
                    .toList());
            assertTrue(r.issues().get(0).endsWith("oscar: nobody watched the dashboard"), r.issues().toString());
            // Killed once and restarted in place: the same container runs again.
            InspectContainerResponse roma = docker.inspectContainerCmd(romaBefore).exec();
            assertEquals(Boolean.TRUE, roma.getState().getRunning());
        }
    }

    private static TimelineRow row(DrillReport r, String action) {
        return r.timeline().stream().filter(t -> t.action().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " in " + r.timeline()));
    }
}
