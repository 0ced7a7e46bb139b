package io.romadr.worker.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.registry.EngineImages;
import io.romadr.activities.registry.RegistryServer;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.worker.CliRun;
import io.romadr.worker.EmbeddedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security incident through the CLI on the production worker wiring, a real Docker sandbox and a real backup
 * registry: {@code recover security-incident --wait} waits for both approvals, stops the containers, keeps their
 * evidence in the store, redeploys from the backup registry's digest and verifies. The plan names no credential, so
 * nothing is rotated (rotation has its own tests where it is implemented).
 */
@Tag("integration")
class SecurityIncidentEndToEndTest {
    static final String TASK_QUEUE = "roma-dr-security-e2e";
    static EmbeddedStack stack;
    static DockerClient docker;
    static SandboxService sandbox;
    static RegistryServer registry;
    static Path root;
    static Path plans;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        root = dir;
        plans = Files.createDirectories(root.resolve("plans"));
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = new EmbeddedStack(TASK_QUEUE);
        registry = stack.closeLater(RegistryServer.start());
        // The backup registry holds the known-good build: the sandbox image, as repository "sandbox".
        new EngineImages(docker).push(SandboxImage.DEFAULT_IMAGE, registry.hostAndPort(), "sandbox", "busybox",
                () -> {
                });
        sandbox = SandboxService.create(docker, "romadr-sec-e2e-" + UUID.randomUUID().toString().substring(0, 8),
                SandboxImage.DEFAULT_IMAGE, SandboxService.Options.defaults(), List.of("roma"));
        stack.closeLater(() -> sandbox.destroy());
        stack.startWorker(plans, docker);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        try {
            docker.removeImageCmd(registry.hostAndPort() + "/sandbox:busybox").withForce(false).exec();
        } catch (RuntimeException ignored) {
            // cleanup only: the sandbox image itself stays
        }
    }

    @Test
    void containedEvidenceKeptRedeployedFromTheBackupRegistryAndVerified() throws Exception {
        String plan = "sec";
        Files.writeString(plans.resolve(plan + ".yaml"), sandbox.planYaml(plan, "15m", "30s", "1s", "5s", "0s", "1s")
                + """
                        backup:
                          store: { uri: "%s" }
                          images:
                            primary: { url: "http://127.0.0.1:1" }
                            backup: { url: "%s" }
                            repositories: [sandbox]
                            tags: [busybox]
                        security:
                          containWithin: 5m
                          rto: 30m
                          approvalTimeout: 5m
                        """.formatted(root.resolve("store").toUri(), registry.url()));
        String before = sandbox.containerId("roma");
        String id = RecoveryStarter.workflowId("security-incident", plan);
        CompletableFuture<CliRun> incident = CompletableFuture.supplyAsync(() -> stack.cli("recover",
                "security-incident", "--plan", plan, "--known-good-commit", "c0ffee", "--reason", "e2e", "--wait"));
        approve(id, "approved contain by", incident);
        approve(id, "approved rotate-and-redeploy by", incident);
        CliRun done = incident.get(180, TimeUnit.SECONDS);

        assertEquals(0, done.exit(), done::toString);
        assertTrue(done.out().contains("- **Contained:** stop, at +"), done::toString);
        assertTrue(done.out().contains("(met)"), done::toString);
        assertTrue(done.out().contains("- " + sandbox.containerName("roma") + " stopped"), done::toString);
        assertTrue(done.out().contains("| " + SandboxImage.DEFAULT_IMAGE + " | sha256:"), done::toString);
        assertTrue(done.out().contains("- **Known-good commit:** c0ffee"), done::toString);
        assertNotEquals(before, sandbox.containerId("roma"), "recreated");
        try (Stream<Path> files = Files.walk(root.resolve("store").resolve("evidence").resolve(plan))) {
            List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted()
                    .toList();
            assertEquals(List.of("diff.txt", "image.json", "inspect.json", "logs.txt", "manifest.json"), names);
        }
    }

    /** Approves as soon as the workflow asks (refused until then), polling; fails with the CLI's output if never. */
    private static void approve(String id, String expected, CompletableFuture<CliRun> incident) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (true) {
            CliRun approve = stack.cli("approve", id, "--as", "alice", "--reason", "e2e");
            if (approve.exit() == 0 && approve.out().contains(expected)) {
                return;
            }
            if (Instant.now().isAfter(deadline) || incident.isDone()) {
                fail("never asked for \"" + expected + "\": " + approve + "; incident "
                        + (incident.isDone() ? incident.get() : "running"));
            }
            Thread.sleep(200); // poll interval
        }
    }
}
