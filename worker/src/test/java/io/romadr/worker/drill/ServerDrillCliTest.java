package io.romadr.worker.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code roma-dr drill service-failure --plan X} end to end: the CLI starts the real DrillWorkflow on the embedded
 * stack's server, the real worker kills a sandbox container, recovers and verifies it, nobody signs off within 2 s;
 * the CLI prints the timeline rows as they happen, the hint to sign off, the report (passed, "not signed") and exits 0.
 */
@org.junit.jupiter.api.Tag("integration")
class ServerDrillCliTest {

    @Test
    void aDrillStartedByTheCliIsFollowedToItsReportAndExitsByItsResult(@TempDir Path dir) throws Exception {
        DockerClient docker = DockerTestSupport.dockerWithSandboxImage();
        String name = "clidrill-" + UUID.randomUUID().toString().substring(0, 8);
        try (EmbeddedStack stack = new EmbeddedStack("roma-dr-" + name)) {
            SandboxService sandbox = SandboxService.create(docker, "romadr-" + name, SandboxImage.DEFAULT_IMAGE,
                    SandboxService.Options.defaults());
            stack.closeLater(sandbox::destroy);
            sandbox.awaitHealthy(Duration.ofSeconds(60));
            Path plans = Files.createDirectories(dir.resolve("plans"));
            Files.writeString(plans.resolve(name + ".yaml"),
                    sandbox.planYaml(name, "5m", "60s", "250ms", "2s", "0s", "1s"));
            stack.startWorker(plans, docker);

            CliRun run = stack.cli("drill", "service-failure", "--plan", name, "--fault", "kill:roma", "--operator",
                    "olga", "--observer", "oscar", "--sign-off-timeout", "2s");

            assertEquals(0, run.exit(), run::toString);
            String id = run.out().lines().findFirst().orElseThrow();
            assertTrue(id.matches("drill-service-failure-" + name + "-\\d{8}-\\d{6}"), id);
            List<String> rows = run.out().lines().filter(l -> l.startsWith("[+")).toList();
            String killed = "Success: killed " + sandbox.containerName("roma") + " (SIGKILL)";
            for (String row : List.of("pre-drill +document-state +Success: .*item\\(s\\) documented",
                    "fault +inject-fault +" + killed.replace("(", "\\(").replace(")", "\\)"),
                    "recovery +restart +Success.*", "verify +verify-recovered +Success: .*",
                    "post-drill +sign-off +Failed: not signed within 2s by operator, observer, manager")) {
                assertEquals(1, rows.stream().filter(l -> l.matches("\\[\\+\\d\\d:\\d\\d] " + row)).count(),
                        () -> row + " not exactly once in\n" + run);
            }
            assertEquals(rows.size(), rows.stream().distinct().count(), run::toString);
            assertEquals(1, run.err().lines().filter(l -> l.startsWith("waiting for the sign-offs of operator, "
                    + "observer, manager:")).count(), run::toString);
            assertTrue(run.err().contains("  sign off: roma-dr drills sign-off " + id + " --role "
                    + "operator|observer|manager --as NAME"), run::toString);

            String report = run.out();
            assertTrue(report.contains("## Disaster Recovery Drill Report\n"), report);
            assertTrue(report.contains("**Scenario:** Service restart (Scenario 1)\n"), report);
            assertTrue(report.contains("**Operator:** olga\n**Observer:** oscar\n"), report);
            assertTrue(report.contains("- **Success:** Yes\n"), report);
            assertTrue(report.contains("- **RTO Target:** 05:00\n"), report);
            assertTrue(report.contains("- **Data Loss:** None\n"), report);
            for (String role : List.of("Operator", "Observer", "Manager")) {
                assertTrue(report.contains("- " + role + ": _______________ (not signed: not signed within 2s)\n"),
                        () -> role + " in\n" + report);
            }
            assertTrue(report.contains("- **Drill workflow:** " + id + "\n"), report);
            assertTrue(report.contains("- **Recovery workflow:** " + id + "-recovery\n"), report);
        }
    }
}
