package io.romadr.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.docker.SandboxService;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanLoader;
import io.romadr.plan.RecoveryPlan;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.scenario.drill.DocumentStateRequest;
import io.romadr.scenario.drill.DrillState;
import io.romadr.scenario.drill.DrillVerification;
import io.romadr.scenario.drill.FaultRequest;
import io.romadr.scenario.drill.FaultResult;
import io.romadr.scenario.drill.VerifyRecoveredRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.git.JGitRecoveryActivities;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drill's own activities on a real sandbox service: document, inject once, verify independently. */
@org.junit.jupiter.api.Tag("integration")
class DockerDrillActivitiesTest {
    private final DockerClient docker = DockerTestSupport.docker();
    private final String project = "romadr-drill-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    private TestActivityEnvironment env;
    private DrillActivities drill;
    private SandboxService sandbox;
    private RecoveryPlan plan;

    @BeforeEach
    void setUp() {
        SandboxImage.ensure(docker);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(
                new DockerDrillActivities(docker, null, null, null, List.of(new ServiceFaults(
                        docker, new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner())))));
        drill = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
        sandbox = SandboxService.create(docker, project, SandboxImage.DEFAULT_IMAGE, SandboxService.Options.defaults());
        sandbox.awaitHealthy(Duration.ofSeconds(60));
        plan = new PlanLoader().parse("t.yaml", sandbox.planYaml("t", "15m", "20s", "500ms", "5s", "2s", "1s"));
    }

    @AfterEach
    void tearDown() {
        sandbox.destroy();
        env.close();
    }

    @Test
    void aKillIsInjectedOnceAndTheVerificationSeesItUntilTheContainerRunsItsImageAgain() {
        DrillState before = drill.documentState(new DocumentStateRequest("service-failure", plan));
        String image = docker.inspectContainerCmd(sandbox.containerId("roma")).exec().getImageId();
        assertTrue(before.lines().contains("container " + sandbox.containerName("roma") + " (roma): running, image "
                + SandboxImage.DEFAULT_IMAGE + " " + image), before.lines().toString());
        assertEquals(image, before.imageDigests().get("roma"));
        assertTrue(before.lines().contains("backups: the plan has no backup section"), before.lines().toString());

        long since = System.currentTimeMillis() - 1000;
        FaultResult first = drill.injectFault(new FaultRequest("service-failure", plan, "kill", "roma", since));
        assertTrue(first.injected(), first.detail());
        assertEquals("killed " + sandbox.containerName("roma") + " (SIGKILL)", first.detail());
        // A retry (its worker died after the kill) finds it down since the drill began: nothing is done again.
        String startedAt = docker.inspectContainerCmd(sandbox.containerId("roma")).exec().getState().getStartedAt();
        FaultResult again = drill.injectFault(new FaultRequest("service-failure", plan, "kill", "roma", since));
        assertFalse(again.injected(), again.detail());
        assertFalse(again.downBefore(), again.detail());
        assertTrue(again.detail().contains("already down since") && again.detail().contains("an earlier attempt"),
                again.detail());
        assertEquals(startedAt, docker.inspectContainerCmd(sandbox.containerId("roma")).exec().getState()
                .getStartedAt());

        DrillVerification down = drill.verifyRecovered(new VerifyRecoveredRequest("service-failure", plan, before));
        assertFalse(down.ok());
        assertTrue(down.problems().contains("no running container of roma"), down.problems().toString());

        docker.startContainerCmd(sandbox.containerId("roma")).exec();
        sandbox.awaitHealthy(Duration.ofSeconds(60));
        DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("service-failure", plan, before));
        assertTrue(up.ok(), up.problems().toString());
        assertTrue(up.checks().contains("roma running image " + image + " as before"), up.checks().toString());
    }

    @Test
    void aContainerDownBeforeTheDrillIsReportedNotBrokenAgain() {
        sandbox.stop("roma");
        FaultResult r = drill
                .injectFault(new FaultRequest("service-failure", plan, "kill", "roma", System.currentTimeMillis()
                        + 1000));
        assertFalse(r.injected(), r.detail());
        assertTrue(r.downBefore(), r.detail());
        assertTrue(r.detail().contains("was already down before the drill"), r.detail());
    }

    @Test
    void aRemovedContainerIsNotRemovedTwice() {
        long since = System.currentTimeMillis() - 1000;
        FaultResult first = drill.injectFault(new FaultRequest("service-failure", plan, "remove", "roma-api", since));
        assertTrue(first.injected(), first.detail());
        assertEquals("removed " + sandbox.containerName("roma-api"), first.detail());
        FaultResult again = drill.injectFault(new FaultRequest("service-failure", plan, "remove", "roma-api", since));
        assertFalse(again.injected(), again.detail());
        assertTrue(again.detail().endsWith("removed already"), again.detail());
    }

    @Test
    void theStateBeforeListsTheNewestBackupOfEachKindAndTheGitTips(@TempDir Path dir) throws Exception {
        Path repo = dir.resolve("primary");
        String tip;
        try (Git g = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
            Files.writeString(repo.resolve("README"), "roma");
            g.add().addFilepattern("README").call();
            tip = g.commit().setMessage("first").setAuthor("t", "t@example.com").setCommitter("t", "t@example.com")
                    .setSign(false).call().getName();
        }
        Path store = Files.createDirectories(dir.resolve("store"));
        BackupSpec backup = new BackupSpec(new BackupStore(store.toUri().toString(), null, null, null), null, null,
                null, null, null, null, new GitBackupSpec(new GitRemote("origin", repo.toString(), null, null, null,
                        null),
                        List.of(new GitRemote("backup-1", dir.resolve("gone").toString(), null, null, null,
                                null)),
                        null, null),
                null);
        RecoveryPlan withBackups = new RecoveryPlan(plan.name(), "", plan.service(), plan.rto(), null,
                plan.recovery(), backup, null, null, null);
        env.close();
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerDrillActivities(docker, new DockerBackupActivities(
                docker, spec -> {
                    try {
                        return ObjectStores.open(spec);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), new JGitRecoveryActivities(dir.resolve("work"), System::getenv, new HostCommandRunner()), null,
                List.of(new ServiceFaults(docker, null))));
        drill = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

        List<String> lines = drill.documentState(new DocumentStateRequest("service-failure", withBackups)).lines();

        assertTrue(lines.containsAll(List.of("newest state backup: none", "newest artifacts backup: none",
                "newest secrets backup: none")), lines.toString());
        assertTrue(lines.contains("git origin (" + repo + "): main " + tip.substring(0, 12) + ", 1 ref(s)"),
                lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("git backup-1 (" + dir.resolve("gone")
                + "): unreachable: ")), lines.toString());
    }
}
