package io.romadr.activities.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.docker.DockerTestSupport;
import io.romadr.activities.git.BranchRewind;
import io.romadr.activities.git.JGitRecoveryActivities;
import io.romadr.activities.process.HostCommandRunner;
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
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario 4's drill through {@link DockerDrillActivities} on real repositories on disk: the primary's branch
 * force-pushed to its root commit or the primary deleted, once each, and the verification after the history is put
 * back (or put back short of a commit or a tag).
 */
@org.junit.jupiter.api.Tag("integration")
class GitFaultsTest {
    private static final PersonIdent DEV = new PersonIdent("Roma Drill", "drill@roma-dr.invalid");

    @TempDir
    Path tmp;
    private Path primary;
    private Path dev;
    private String head;
    private String root;
    private TestActivityEnvironment env;
    private DrillActivities drill;

    @BeforeEach
    void setUp() throws Exception {
        primary = tmp.resolve("repos/primary.git");
        dev = tmp.resolve("dev");
        Git.init().setBare(true).setInitialBranch("main").setDirectory(primary.toFile()).call().close();
        try (Git git = Git.init().setInitialBranch("main").setDirectory(dev.toFile()).call()) {
            for (int i = 1; i <= 6; i++) {
                Files.writeString(dev.resolve("file.txt"), "change " + i + "\n");
                git.add().addFilepattern(".").call();
                String id = git.commit().setMessage("change " + i).setAuthor(DEV).setCommitter(DEV).setSign(false)
                        .call().getName();
                if (i == 1) {
                    root = id;
                }
                if (i == 3) {
                    git.tag().setName("v1").setAnnotated(true).setMessage("release 1").setTagger(DEV).setSigned(false)
                            .call();
                    git.branchCreate().setName("release-1").call();
                }
            }
            head = git.getRepository().resolve("refs/heads/main").name();
            pushAll(git, "refs/tags/*:refs/tags/*");
        }
        env = TestActivityEnvironment.newInstance();
        JGitRecoveryActivities git = new JGitRecoveryActivities(tmp.resolve("work"), System::getenv,
                new HostCommandRunner());
        env.registerActivitiesImplementations(new DockerDrillActivities(DockerTestSupport.docker(), null, git, null,
                List.of(new GitFaults(git, new BranchRewind(tmp.resolve("work"), System::getenv)))));
        drill = env.newActivityStub(DrillActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void aForcePushIsInjectedOnceAndPushingTheHistoryBackLosesNothing() throws Exception {
        RecoveryPlan plan = plan(primary.toString());
        DrillState before = drill.documentState(new DocumentStateRequest("git-loss", plan));
        assertEquals(head, before.fingerprints().get("git:origin:refs/heads/main"));
        assertEquals(3, before.fingerprints().size(), before.fingerprints().toString());
        assertTrue(before.lines().contains("git origin refs recorded to compare after the recovery: 3"),
                before.lines().toString());

        // No target: the primary's default branch (its HEAD, main).
        FaultResult first = drill.injectFault(new FaultRequest("git-loss", plan, "force-push", "", 0));
        assertTrue(first.injected(), first.detail());
        assertEquals("force-pushed refs/heads/main of origin (" + primary + ") from " + head.substring(0, 8)
                + " back to its root commit " + root.substring(0, 8), first.detail());
        assertEquals(root, refs().get("refs/heads/main"));
        FaultResult again = drill.injectFault(new FaultRequest("git-loss", plan, "force-push", "", 0));
        assertFalse(again.injected(), again.detail());
        assertTrue(again.detail().startsWith("refs/heads/main of origin (" + primary + ") already at its root"
                + " commit " + root.substring(0, 8)), again.detail());
        assertEquals(root, refs().get("refs/heads/main"));

        DrillVerification down = drill.verifyRecovered(new VerifyRecoveredRequest("git-loss", plan, before));
        assertFalse(down.ok());
        assertEquals("refs/heads/main at " + root.substring(0, 8) + ", before " + head.substring(0, 8),
                down.dataLoss());

        // The scenario pushes main back to its tip from before (from the backup remote).
        try (Git git = Git.open(dev.toFile())) {
            pushAll(git);
        }
        DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("git-loss", plan, before));
        assertTrue(up.ok(), up.problems().toString());
        assertEquals("None", up.dataLoss());
        assertTrue(up.checks().contains("3 of 3 refs of origin at their commits from before the fault"),
                up.checks().toString());

        // A stale backup: main one commit short.
        try (Git git = Git.open(dev.toFile())) {
            String behind = git.getRepository().resolve("refs/heads/main~1").name();
            git.push().setRemote(primary.toUri().toString()).setForce(true)
                    .setRefSpecs(new RefSpec("+" + behind + ":refs/heads/main")).call();
            DrillVerification stale = drill.verifyRecovered(new VerifyRecoveredRequest("git-loss", plan, before));
            assertFalse(stale.ok());
            assertEquals("refs/heads/main at " + behind.substring(0, 8) + ", before " + head.substring(0, 8),
                    stale.dataLoss());
        }
    }

    @Test
    void aDeletedPrimaryIsDeletedOnceAndARecreatedOneWithoutATagIsDataLoss() throws Exception {
        String url = primary.toUri().toString();
        RecoveryPlan plan = plan(url);
        DrillState before = drill.documentState(new DocumentStateRequest("git-loss", plan));

        FaultResult first = drill.injectFault(new FaultRequest("git-loss", plan, "delete", "", 0));
        assertTrue(first.injected(), first.detail());
        assertEquals("deleted the git primary origin at " + primary, first.detail());
        assertFalse(Files.exists(primary));
        FaultResult again = drill.injectFault(new FaultRequest("git-loss", plan, "delete", "", 0));
        assertFalse(again.injected(), again.detail());
        assertEquals("the git primary origin at " + primary + " already deleted", again.detail());

        DrillVerification down = drill.verifyRecovered(new VerifyRecoveredRequest("git-loss", plan, before));
        assertFalse(down.ok());
        assertTrue(down.problems().get(0).startsWith("git primary origin (" + url + ") unreachable: "),
                down.problems().toString());

        // Recreated from the backup, but without the tag.
        Git.init().setBare(true).setInitialBranch("main").setDirectory(primary.toFile()).call().close();
        try (Git git = Git.open(dev.toFile())) {
            pushAll(git);
        }
        DrillVerification partial = drill.verifyRecovered(new VerifyRecoveredRequest("git-loss", plan, before));
        assertFalse(partial.ok());
        String tag = before.fingerprints().get("git:origin:refs/tags/v1");
        assertEquals("refs/tags/v1 missing, before " + tag.substring(0, 8), partial.dataLoss());

        try (Git git = Git.open(dev.toFile())) {
            pushAll(git, "refs/tags/*:refs/tags/*");
        }
        DrillVerification up = drill.verifyRecovered(new VerifyRecoveredRequest("git-loss", plan, before));
        assertTrue(up.ok(), up.problems().toString());
        assertEquals("None", up.dataLoss());
    }

    @Test
    void aNamedBranchIsRewoundAndAMissingOneIsRefused() throws Exception {
        RecoveryPlan plan = plan(primary.toString());
        String release = refs().get("refs/heads/release-1");
        FaultResult r = drill.injectFault(new FaultRequest("git-loss", plan, "force-push", "release-1", 0));
        assertTrue(r.injected(), r.detail());
        assertEquals(root, refs().get("refs/heads/release-1"));
        assertEquals(head, refs().get("refs/heads/main"), "the other branches are left as they are");
        assertTrue(r.detail().contains("from " + release.substring(0, 8)), r.detail());

        ActivityFailure f = assertThrows(ActivityFailure.class, () -> drill.injectFault(new FaultRequest("git-loss",
                plan, "force-push", "nope", 0)));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable());
        assertTrue(cause.getOriginalMessage().contains("has no branch refs/heads/nope"), cause.getOriginalMessage());
    }

    @Test
    void aDeletionAnEarlierAttemptLeftHalfDoneIsFinishedNotRepeated() throws Exception {
        RecoveryPlan plan = plan(primary.toString());
        // The earlier attempt moved the repository aside and its worker died before deleting it.
        Path aside = primary.resolveSibling(primary.getFileName() + GitFaults.DELETING);
        Files.move(primary, aside);
        FaultResult r = drill.injectFault(new FaultRequest("git-loss", plan, "delete", "", 0));
        assertFalse(r.injected(), r.detail());
        assertEquals("the git primary origin at " + primary + " already deleted", r.detail());
        assertFalse(Files.exists(aside), "what was moved aside is deleted");
        assertFalse(Files.exists(primary));
    }

    @Test
    void aDirectoryThatIsNotARepositoryIsNotDeleted() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(plain.resolve("keep.txt"), "keep");
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> drill.injectFault(new FaultRequest("git-loss",
                plan(plain.toString()), "delete", "", 0)));
        assertTrue(((ApplicationFailure) f.getCause()).isNonRetryable());
        assertTrue(Files.exists(plain.resolve("keep.txt")));
    }

    @Test
    void deletingAHostedPrimaryIsRefused() {
        RecoveryPlan plan = plan("ssh://git@git.example.invalid/roma.git");
        ActivityFailure f = assertThrows(ActivityFailure.class, () -> drill.injectFault(new FaultRequest("git-loss",
                plan, "delete", "", 0)));
        ApplicationFailure cause = (ApplicationFailure) f.getCause();
        assertTrue(cause.isNonRetryable());
        assertEquals("cannot delete a remote repository over ssh: use force-push", cause.getOriginalMessage());
    }

    private void pushAll(Git git, String... more) throws Exception {
        var push = git.push().setRemote(primary.toUri().toString()).setForce(true).add("main").add("release-1");
        for (String spec : more) {
            push.add(spec);
        }
        push.call();
    }

    private Map<String, String> refs() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (Ref r : Git.lsRemoteRepository().setRemote(primary.toUri().toString()).call()) {
            out.put(r.getName(), r.getObjectId().name());
        }
        return out;
    }

    private RecoveryPlan plan(String url) {
        return new PlanLoader().parse("t.yaml", """
                name: t
                service:
                  composeProject: romadr-drill-git-%s
                  containers: [{ service: app }]
                  healthChecks: [{ name: up, http: { url: "http://127.0.0.1:9/health" } }]
                rto: { service: 15m }
                backup:
                  store: { uri: "%s" }
                  git:
                    primary: { name: origin, url: "%s" }
                    backups: [{ name: backup, url: "%s" }]
                """.formatted(UUID.randomUUID().toString().substring(0, 8), tmp.resolve("store").toUri(), url,
                tmp.resolve("repos/backup.git")));
    }
}
