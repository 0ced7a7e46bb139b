package io.romadr.activities.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.Tag("integration")
class SandboxServiceTest {
    private final DockerClient docker = DockerTestSupport.docker();
    private SandboxService sandbox;

    @AfterEach
    void cleanUp() {
        if (sandbox != null) {
            sandbox.destroy();
        }
    }

    @Test
    void imageIsStaticBusyboxAndIdempotent() {
        assertTrue(SandboxImage.isStatic(SandboxImage.busybox()));
        assertEquals(SandboxImage.DEFAULT_IMAGE, SandboxImage.ensure(docker));
        assertEquals(SandboxImage.DEFAULT_IMAGE, SandboxImage.ensure(docker));
        assertTrue(SandboxImage.exists(docker, SandboxImage.DEFAULT_IMAGE));
    }

    @Test
    void servesHealthAndTakesFaults() {
        String project = DockerTestSupport.project();
        sandbox = SandboxService.create(docker, project, SandboxImage.DEFAULT_IMAGE, SandboxService.Options.defaults());
        assertEquals(List.of("roma", "roma-api"), sandbox.services());
        assertEquals(project, sandbox.composeProject());
        for (String s : sandbox.services()) {
            assertEquals(200, DockerTestSupport.status(sandbox.healthUrl(s)));
            assertNotNull(sandbox.containerId(s));
            assertNotNull(sandbox.startedAt(s));
        }
        assertTrue(sandbox.healthUrl("roma").startsWith("http://127.0.0.1:" + sandbox.hostPort("roma") + "/"));

        RecoveryPlan plan = new PlanLoader().parse("sandbox.yaml",
                sandbox.planYaml("sandbox", "15m", "20s", "500ms", "5s", "2s", "1s"));
        assertEquals("sandbox", plan.name());
        assertEquals(project, plan.service().composeProject());
        assertEquals(List.of("roma", "roma-api"), plan.service().serviceNames());
        assertEquals(2, plan.service().healthChecks().size());
        assertEquals(1, plan.service().smoke().size());
        assertTrue(plan.service().rebuild().isEmpty());
        assertEquals(Duration.ofSeconds(2), plan.recovery().watchWindow());
        assertEquals("127.0.0.1:" + sandbox.hostPort("roma-api") + ":8080",
                plan.service().containers().get(1).template().ports().get(0));

        sandbox.breakHealth("roma");
        assertEquals(404, DockerTestSupport.status(sandbox.healthUrl("roma")));
        sandbox.kill("roma");
        assertFalse(docker.inspectContainerCmd(sandbox.containerId("roma")).exec().getState().getRunning());
        sandbox.stop("roma-api");
        assertFalse(docker.inspectContainerCmd(sandbox.containerId("roma-api")).exec().getState().getRunning());
        sandbox.remove("roma");
        assertNull(sandbox.containerId("roma"));
        sandbox.destroy();
        sandbox.destroy();
        assertNull(sandbox.containerId("roma-api"));
    }
}
