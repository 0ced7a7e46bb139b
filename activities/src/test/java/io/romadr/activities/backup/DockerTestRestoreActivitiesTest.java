package io.romadr.activities.backup;

import static io.romadr.activities.backup.BackupTestSupport.SERVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.TestRestoreActivities;
import io.romadr.backup.TestRestoreRequest;
import io.romadr.backup.TestRestoreResult;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ExecCheck;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test restore against the real engine: a "live" compose-labelled busybox httpd serving its state directory
 * (a named volume at {@link #PATH}), a real snapshot of it in a file:// store, and sandboxes that must only pass
 * their checks when the snapshot really was restored into them.
 */
@org.junit.jupiter.api.Tag("integration")
class DockerTestRestoreActivitiesTest {
    /** The live service's image: serves /app/.roma on 8080 and counts its starts in the state directory. */
    static final String IMAGE = "roma-dr/testrestore-httpd:busybox";
    static final String PATH = "/app/.roma";
    static final int PORT = 8080;
    private static final String PLAN = "plan-tr";
    private static final long CREATED_AT = 1_795_000_000_000L;

    private static DockerClient docker;

    @TempDir
    Path tmp;

    private final String project = BackupTestSupport.project();
    private final String volume = project + "-data";
    private final String sandbox = project + "-sandbox";
    private BackupStore store;
    private Path storeDir;
    private Path workRoot;
    private TestActivityEnvironment env;
    private BackupActivities backups;
    private TestRestoreActivities testRestores;
    private String liveId;
    private int livePort;

    @BeforeAll
    static void engine() throws IOException {
        docker = BackupTestSupport.docker();
        buildImage();
    }

    /** Built FROM the imported busybox sandbox image (nothing is pulled). */
    static void buildImage() throws IOException {
        Path ctx = Files.createTempDirectory("roma-testrestore-image");
        try {
            Files.writeString(ctx.resolve("Dockerfile"), "FROM " + SandboxImage.DEFAULT_IMAGE + "\n"
                    + "EXPOSE " + PORT + "\n"
                    + "CMD [\"sh\", \"-c\", \"echo start >> " + PATH + "/starts && exec httpd -f -p " + PORT + " -h "
                    + PATH + "\"]\n");
            docker.buildImageCmd(ctx.toFile()).withTags(Set.of(IMAGE)).withPull(false).start().awaitImageId();
        } finally {
            io.romadr.activities.archive.AtomicSwap.deleteTree(ctx);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        workRoot = tmp.resolve("work");
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerBackupActivities(docker, DockerTestRestoreActivitiesTest::open),
                new DockerTestRestoreActivities(docker, DockerTestRestoreActivitiesTest::open, workRoot));
        ActivityOptions options = ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
        backups = env.newActivityStub(BackupActivities.class, options);
        testRestores = env.newActivityStub(TestRestoreActivities.class, options);
        startLive();
    }

    private static io.romadr.activities.objectstore.ObjectStore open(BackupStore s) {
        try {
            return ObjectStores.open(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void tearDown() {
        try {
            BackupTestSupport.removeProject(docker, project);
            removeQuietly(sandbox);
            docker.removeVolumeCmd(volume).exec();
        } finally {
            env.close();
        }
    }

    private void startLive() throws Exception {
        docker.createVolumeCmd().withName(volume).exec();
        ExposedPort port = ExposedPort.tcp(PORT);
        Ports bindings = new Ports();
        bindings.bind(port, Ports.Binding.bindIp("127.0.0.1"));
        liveId = docker.createContainerCmd(IMAGE)
                .withName(project + "-" + SERVICE + "-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, SERVICE))
                .withEnv("ROMA_MODE=live")
                .withHostConfig(HostConfig.newHostConfig()
                        .withBinds(new Bind(volume, new Volume(PATH)))
                        .withPortBindings(bindings)
                        .withInit(true)
                        .withRestartPolicy(RestartPolicy.noRestart()))
                .exec().getId();
        docker.startContainerCmd(liveId).exec();
        BackupTestSupport.awaitRunning(docker, liveId, Duration.ofSeconds(20));
        Ports.Binding[] published = docker.inspectContainerCmd(liveId).exec().getNetworkSettings().getPorts()
                .getBindings().get(port);
        livePort = Integer.parseInt(published[0].getHostPortSpec());
        assertEquals(200, liveStatus("/starts"), "the live service serves its state directory");
    }

    /** Runs a shell command in the live container (docker exec through the CLI). */
    private void inLive(String script) throws Exception {
        BackupTestSupport.run(tmp, "docker", "exec", liveId, "sh", "-c", script);
    }

    private BackupManifest snapshot(String id) {
        return backups.snapshot(new SnapshotRequest(BackupKind.STATE, PLAN, store, project, SERVICE, PATH, List.of(),
                BackupKeys.objectKey(BackupKind.STATE, PLAN, CREATED_AT, id), CREATED_AT, "wf-" + id));
    }

    private TestRestoreRequest request(BackupManifest m, List<HealthCheck> checks, Duration waitHealthy) {
        return new TestRestoreRequest(store, m, project, SERVICE, PATH, checks, waitHealthy,
                Duration.ofMillis(250), sandbox);
    }

    /** The plan's check of the live service, by the host port the live container publishes. */
    private HealthCheck httpCheck() {
        return new HealthCheck("web", new HttpCheck("http://127.0.0.1:" + livePort + "/health", 200,
                Duration.ofSeconds(2)), null);
    }

    private static HealthCheck execCheck(String name, String script) {
        return new HealthCheck(name, null, new ExecCheck(SERVICE, List.of("sh", "-c", script), Duration.ofSeconds(10)));
    }

    private int liveStatus(String path) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + livePort + path))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    fail("live service on port " + livePort + " does not answer: " + e);
                }
                Thread.sleep(100); // poll until httpd listens
            }
        }
    }

    private String liveFile(String name) throws IOException {
        return BackupTestSupport.readInContainer(docker, liveId, PATH + "/" + name);
    }

    private static boolean exists(String nameOrId) {
        try {
            docker.inspectContainerCmd(nameOrId).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static void removeQuietly(String nameOrId) {
        try {
            docker.removeContainerCmd(nameOrId).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // not there
        }
    }

    /**
     * Names of this test's sandbox containers the engine reports as created since {@code sinceEpochSeconds}. Filtered
     * by name too: {@code --since} has a resolution of seconds, so another test's sandbox made in the same second
     * would otherwise be counted.
     */
    private String sandboxCreations(long sinceEpochSeconds) throws Exception {
        return BackupTestSupport.run(tmp, "docker", "events", "--since", Long.toString(sinceEpochSeconds),
                "--until", Long.toString(System.currentTimeMillis() / 1000 + 1), "--filter", "type=container",
                "--filter", "event=create", "--filter", "label=" + TestRestoreOperations.SANDBOX_LABEL + "=true",
                "--filter", "container=" + sandbox, "--format", "{{.Actor.Attributes.name}}");
    }

    private String sandboxContainers() throws Exception {
        return BackupTestSupport.run(tmp, "docker", "ps", "-a", "--filter",
                "label=" + TestRestoreOperations.SANDBOX_LABEL + "=true", "--filter", "name=" + sandbox,
                "--format", "{{.Names}}").strip();
    }

    private void assertNoExtractedDataLeft() throws IOException {
        if (Files.exists(workRoot)) {
            assertEquals(List.of("."), BackupTestSupport.listing(workRoot).stream().map(p -> p.isEmpty() ? "." : p)
                    .toList(), "extracted snapshot deleted");
        }
    }

    @Test
    void goodSnapshotPassesItsChecksInTheSandboxAndTheLiveServiceIsUntouched() throws Exception {
        inLive("echo ok > " + PATH + "/health && echo snap-1 > " + PATH + "/snapfile");
        BackupManifest m = snapshot("good");
        // after the snapshot the live service loses both files: a check that reached the live container fails
        inLive("rm " + PATH + "/health " + PATH + "/snapfile");
        assertEquals(404, liveStatus("/health"));
        InspectContainerResponse before = docker.inspectContainerCmd(liveId).exec();
        String startsBefore = liveFile("starts");
        long since = System.currentTimeMillis() / 1000;

        TestRestoreResult r = testRestores.testRestore(request(m, List.of(httpCheck(),
                execCheck("snapfile", "grep -x snap-1 " + PATH + "/snapfile"),
                execCheck("writable", "test $(grep -c start " + PATH + "/starts) -eq 2")), Duration.ofSeconds(30)));

        assertTrue(r.ok(), () -> "should pass: " + r);
        assertEquals("", r.problem());
        assertEquals(m.objectKey(), r.objectKey());
        assertEquals(sandbox, r.sandbox());
        assertEquals(before.getImageId(), r.image(), "the live container's image id, not a tag");
        assertTrue(r.image().startsWith("sha256:"), r.image());
        assertTrue(r.restoreMillis() > 0, "restoreMillis " + r.restoreMillis());
        assertEquals(3, r.checks().size(), r.checks().toString());
        assertTrue(r.checks().get(0).startsWith("web: OK HTTP 200"), r.checks().get(0));
        assertFalse(r.checks().get(0).contains(":" + livePort + "/"), "URL pointed at the sandbox: " + r.checks());
        assertTrue(r.checks().get(1).startsWith("snapfile: OK exit 0"), r.checks().get(1));
        assertTrue(r.checks().get(2).startsWith("writable: OK exit 0"), "the sandbox appended to the restored"
                + " copy of starts: " + r.checks().get(2));

        assertEquals(sandbox, sandboxCreations(since).strip(), "the sandbox was really made");
        assertFalse(exists(sandbox), "sandbox removed");
        assertEquals("", sandboxContainers());
        assertNoExtractedDataLeft();
        InspectContainerResponse after = docker.inspectContainerCmd(liveId).exec();
        assertTrue(after.getState().getRunning(), "live container still runs");
        assertEquals(before.getState().getStartedAt(), after.getState().getStartedAt(), "live container not restarted");
        assertEquals(startsBefore, liveFile("starts"), "live data unchanged (the sandbox wrote only to its copy)");
        assertEquals(404, liveStatus("/health"), "nothing restored into the live volume");
    }

    /**
     * A plan with two services: the sandbox runs only the restored one, so the other service's checks (an exec check
     * in it, an HTTP check of the port it publishes) are reported as skipped, not polled until the wait is over.
     */
    @Test
    void aTwoServicePlanChecksOnlyTheRestoredServiceInTheSandbox() throws Exception {
        ExposedPort web = ExposedPort.tcp(PORT);
        Ports bindings = new Ports();
        bindings.bind(web, Ports.Binding.bindIp("127.0.0.1"));
        String otherId = docker.createContainerCmd(IMAGE)
                .withName(project + "-other-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "other"))
                .withCmd("httpd", "-f", "-p", String.valueOf(PORT), "-h", "/etc")
                .withHostConfig(HostConfig.newHostConfig().withPortBindings(bindings).withInit(true)
                        .withRestartPolicy(RestartPolicy.noRestart()))
                .exec().getId();
        docker.startContainerCmd(otherId).exec();
        BackupTestSupport.awaitRunning(docker, otherId, Duration.ofSeconds(20));
        String otherPort = docker.inspectContainerCmd(otherId).exec().getNetworkSettings().getPorts()
                .getBindings().get(web)[0].getHostPortSpec();
        inLive("echo ok > " + PATH + "/health");
        BackupManifest m = snapshot("two");
        HealthCheck otherHttp = new HealthCheck("other-web", new HttpCheck(
                "http://127.0.0.1:" + otherPort + "/hostname", 200, Duration.ofSeconds(2)), null);
        HealthCheck otherExec = new HealthCheck("other-exec", null, new ExecCheck("other", List.of("true"),
                Duration.ofSeconds(5)));

        long started = System.nanoTime();
        TestRestoreResult r = testRestores.testRestore(request(m, List.of(httpCheck(), otherHttp, otherExec,
                execCheck("restored", "test -f " + PATH + "/health")), Duration.ofSeconds(20)));

        assertTrue(r.ok(), () -> "a good snapshot of a two-service plan is healthy: " + r);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(20)) < 0,
                "did not wait for checks that cannot pass");
        assertEquals(4, r.checks().size(), r.checks().toString());
        assertTrue(r.checks().get(0).startsWith("web: OK HTTP 200"), r.checks().toString());
        assertTrue(r.checks().get(1).startsWith("restored: OK"), r.checks().toString());
        assertTrue(r.checks().contains("other-web: SKIPPED (http://127.0.0.1:" + otherPort
                + "/hostname is not a port of service " + SERVICE + ")"), r.checks().toString());
        assertTrue(r.checks().contains("other-exec: SKIPPED (runs in service other, the sandbox runs only " + SERVICE
                + ")"), r.checks().toString());
        assertTrue(BackupTestSupport.running(docker, otherId), "the other service is untouched");
        assertFalse(exists(sandbox), "sandbox removed");
    }

    @Test
    void snapshotWithoutTheHealthFileIsUnhealthyAndTheSandboxIsStillRemoved() throws Exception {
        inLive("echo snap-2 > " + PATH + "/snapfile");
        BackupManifest m = snapshot("nohealth");
        inLive("echo ok > " + PATH + "/health"); // the live service is healthy: only the snapshot lacks the file
        assertEquals(200, liveStatus("/health"));

        TestRestoreResult r = testRestores.testRestore(request(m, List.of(httpCheck()), Duration.ofSeconds(3)));

        assertFalse(r.ok(), () -> "should fail: " + r);
        assertTrue(r.problem().contains("unhealthy after 3s"), r.problem());
        assertTrue(r.problem().contains("web: HTTP 404"), r.problem());
        assertEquals(1, r.checks().size());
        assertTrue(r.checks().get(0).startsWith("web: FAILED HTTP 404"), r.checks().get(0));
        assertTrue(r.restoreMillis() >= 3000, "waited out waitHealthy: " + r.restoreMillis());
        assertEquals(docker.inspectContainerCmd(liveId).exec().getImageId(), r.image());
        assertFalse(exists(sandbox), "sandbox removed after the failure");
        assertEquals("", sandboxContainers());
        assertNoExtractedDataLeft();
        assertTrue(BackupTestSupport.running(docker, liveId));
    }

    @Test
    void corruptSnapshotIsRefusedBeforeAnySandboxIsMade() throws Exception {
        inLive("echo ok > " + PATH + "/health");
        BackupManifest m = snapshot("corrupt");
        try (RandomAccessFile f = new RandomAccessFile(storeDir.resolve(m.objectKey()).toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
        long since = System.currentTimeMillis() / 1000;

        TestRestoreResult r = testRestores.testRestore(request(m, List.of(httpCheck()), Duration.ofSeconds(10)));

        assertFalse(r.ok());
        assertTrue(r.problem().contains("sha256"), r.problem());
        assertTrue(r.problem().contains(m.objectKey()), r.problem());
        assertNull(r.image(), "no image looked up");
        assertEquals(List.of(), r.checks());
        assertEquals("", sandboxCreations(since).strip(), "no sandbox container was ever created");
        assertEquals("", sandboxContainers());
        assertFalse(Files.exists(workRoot.resolve(sandbox)), "nothing extracted");
    }

    @Test
    void sandboxLeftByACrashedAttemptIsReplaced() throws Exception {
        inLive("echo ok > " + PATH + "/health");
        BackupManifest m = snapshot("retry");
        String leftover = docker.createContainerCmd(IMAGE).withName(sandbox)
                .withLabels(Map.of(TestRestoreOperations.SANDBOX_LABEL, "true"))
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig().withInit(true))
                .exec().getId();
        docker.startContainerCmd(leftover).exec();
        Files.createDirectories(workRoot.resolve(sandbox).resolve(".roma-staging-crashed"));

        TestRestoreResult r = testRestores.testRestore(request(m, List.of(httpCheck()), Duration.ofSeconds(30)));

        assertTrue(r.ok(), () -> "should pass: " + r);
        assertTrue(r.checks().get(0).startsWith("web: OK HTTP 200"), r.checks().toString());
        assertFalse(exists(leftover), "the leftover container was removed");
        assertFalse(exists(sandbox), "and the new sandbox too");
        assertNoExtractedDataLeft();
    }

    @Test
    void aContainerOfTheSandboxNameThatIsNoSandboxIsLeftAlone() throws Exception {
        inLive("echo ok > " + PATH + "/health");
        BackupManifest m = snapshot("clash");
        String other = docker.createContainerCmd(IMAGE).withName(sandbox).withCmd("sleep", "100000").exec().getId();

        TestRestoreResult r = testRestores.testRestore(request(m, List.of(httpCheck()), Duration.ofSeconds(10)));

        assertFalse(r.ok());
        assertTrue(r.problem().contains("is not a test-restore sandbox"), r.problem());
        assertTrue(exists(other), "the other container is still there");
        assertEquals(other, docker.inspectContainerCmd(sandbox).exec().getId());
    }

    @Test
    void noContainerOfTheServiceMeansNoImage() throws Exception {
        inLive("echo ok > " + PATH + "/health");
        BackupManifest m = snapshot("noservice");
        TestRestoreRequest req = new TestRestoreRequest(store, m, project, "absent", PATH, List.of(httpCheck()),
                Duration.ofSeconds(5), Duration.ofMillis(250), sandbox);

        TestRestoreResult r = testRestores.testRestore(req);

        assertFalse(r.ok());
        assertEquals("no container of service absent (compose project " + project + ") to take the image from",
                r.problem());
        assertFalse(exists(sandbox));
    }

    @Test
    void invalidSandboxNameIsANonRetryableRefusal() {
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, BackupKind.STATE, PLAN, "state/x.tar.gz",
                "0".repeat(64), 1, 1, 0, "x", CREATED_AT, "wf", null, null, null);
        TestRestoreRequest req = new TestRestoreRequest(store, m, project, SERVICE, PATH, List.of(),
                Duration.ofSeconds(5), Duration.ofMillis(250), "../escape");
        var e = assertThrows(io.temporal.failure.ActivityFailure.class, () -> testRestores.testRestore(req));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains("sandbox name"), e.getCause().toString());
    }
}
