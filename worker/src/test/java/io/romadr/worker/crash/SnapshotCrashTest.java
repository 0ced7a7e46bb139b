package io.romadr.worker.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerTestSupport;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.StateSnapshotWorkflow;
import io.romadr.report.Outcome;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.romadr.worker.EmbeddedStack;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * kill -9 of the worker in the middle of a large state snapshot's upload to S3 (moto), then a second worker: the
 * snapshot completes, re-sending only the parts whose bytes differ (none: the state did not change), and the stored
 * archive is complete and valid (its SHA-256 equals the manifest's; the real {@code tar} extracts every file).
 */
@org.junit.jupiter.api.Tag("integration")
class SnapshotCrashTest {
    static final Path ROOT = Path.of("target", "snapshot-crash-test");
    /** Incompressible, so the upload spans many 16 MiB parts. */
    static final long STATE_BYTES = 320L << 20;
    static final Duration KILL_POINT_TIMEOUT = Duration.ofSeconds(120);
    static final Duration RESULT_TIMEOUT = Duration.ofMinutes(4);

    /** The dev server; the case runs its workers on a task queue of its own. */
    static EmbeddedStack stack;
    static WorkflowClient client;
    static DockerClient docker;
    static MotoServer moto;

    @BeforeAll
    static void start() throws Exception {
        docker = DockerTestSupport.dockerWithSandboxImage();
        stack = EmbeddedStack.onDevServer("roma-dr-snapshot-crash", ROOT);
        client = stack.client();
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (moto != null) {
            moto.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void killDuringUploadResumesAndTheSnapshotIsValid() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String name = "snapcrash-" + id;
        Path dir = ROOT.resolve(name).toAbsolutePath();
        Path state = dir.resolve("state");
        Path plans = dir.resolve("plans");
        Files.createDirectories(plans);
        generateState(state);
        String bucket = moto.freshBucket();
        Files.writeString(plans.resolve(name + ".yaml"), plan(name, bucket));
        String project = "romadr-" + name;
        String container = startContainer(project, state);
        Map<String, String> awsEnv = moto.environment();
        String taskQueue = "roma-dr-" + name;
        WorkerProcess first = null;
        WorkerProcess second = null;
        try (S3Client s3 = moto.s3()) {
            first = WorkerProcess.start("worker-1", dir, stack.address(), taskQueue, plans, awsEnv);
            StateSnapshotWorkflow workflow = client.newWorkflowStub(StateSnapshotWorkflow.class,
                    WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(name)
                            .setWorkflowExecutionTimeout(Duration.ofMinutes(10)).build());
            long started = System.nanoTime();
            WorkflowClient.start(workflow::snapshot, new BackupRequest(name, "SnapshotCrashTest"));

            int partsAtKill = awaitParts(s3, bucket, 2, first);
            // Kill only once the server holds a heartbeat naming stored parts: that checkpoint is what the next
            // worker resumes from (without this wait a slow machine could kill before any checkpoint arrived).
            int checkpointed = awaitCheckpoint(name, first);
            long killAt = System.nanoTime();
            first.kill9();
            assertFalse(first.isAlive(), "worker #1 still alive after SIGKILL");
            second = WorkerProcess.start("worker-2", dir, stack.address(), taskQueue, plans, awsEnv);

            BackupReport report = WorkflowStub.fromTyped(workflow)
                    .getResult(RESULT_TIMEOUT.toSeconds(), TimeUnit.SECONDS, BackupReport.class);
            long done = System.nanoTime();
            System.out.printf(Locale.ROOT, "%s: kill -9 with %d part(s) stored (%d checkpointed) at +%.1fs; snapshot "
                    + "completed %.1fs after the kill%n", name, partsAtKill, checkpointed, (killAt - started) / 1e9,
                    (done - killAt) / 1e9);

            assertEquals(Outcome.RECOVERED, report.outcome(), report.summary());
            assertTrue(report.verification().ok(), report.verification().toString());
            // The snapshot activity ran twice: the first attempt died with worker #1.
            assertTrue(snapshotAttempts(name) >= 2, "the Snapshot activity should have been retried");
            // Worker #2 resumed the multipart upload instead of starting over.
            String log2 = second.logText();
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(\\d+) part\\(s\\) sent, (\\d+) reused from an earlier attempt").matcher(log2);
            assertTrue(m.find(), "worker #2 did not complete a multipart upload; its log:\n" + log2);
            assertTrue(Integer.parseInt(m.group(2)) >= checkpointed,
                    "expected the " + checkpointed + " checkpointed part(s) to be reused: " + m.group());
            // Nothing left half-done in the bucket: one archive, one manifest, no open multipart upload.
            List<String> keys = s3.listObjectsV2(r -> r.bucket(bucket)).contents().stream()
                    .map(o -> o.key()).toList();
            assertEquals(2, keys.size(), keys.toString());
            List<MultipartUpload> open = s3.listMultipartUploads(r -> r.bucket(bucket)).uploads();
            assertTrue(open.isEmpty(), "dangling multipart uploads: " + open);

            String key = "crash/" + report.manifest().objectKey();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Path restored = dir.resolve("restored");
            Files.createDirectories(restored);
            Process tar = new ProcessBuilder("tar", "xzf", "-", "-C", restored.toString())
                    .redirectErrorStream(true).start();
            try (InputStream in = new DigestInputStream(s3.getObject(r -> r.bucket(bucket).key(key)), sha);
                    OutputStream toTar = tar.getOutputStream()) {
                in.transferTo(toTar);
            }
            assertTrue(tar.waitFor(60, TimeUnit.SECONDS), "tar xzf did not finish");
            assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes()));
            assertEquals(report.manifest().sha256(), HexFormat.of().formatHex(sha.digest()));
            for (String file : List.of("a/blob-0.bin", "a/blob-9.bin", "b/notes.txt")) {
                assertEquals(Files.mismatch(state.resolve(file), restored.resolve(file)), -1L, file + " differs");
            }
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
            docker.removeContainerCmd(container).withForce(true).exec();
            deleteTree(dir);
        }
    }

    private static String plan(String name, String bucket) {
        return """
                name: %s
                service:
                  composeProject: romadr-%s
                  containers: [{ service: state }]
                  healthChecks:
                    - name: alive
                      exec: { service: state, command: [true], timeout: 5s }
                rto: { service: 15m }
                backup:
                  store: { uri: "s3://%s/crash", endpoint: "%s", region: %s, pathStyle: true }
                  state: { service: state, path: /state }
                """.formatted(name, name, bucket, moto.endpoint(), MotoServer.REGION);
    }

    private static String startContainer(String project, Path state) {
        String id = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-state-1")
                .withLabels(Map.of(DockerServiceActivities.LABEL_PROJECT, project,
                        DockerServiceActivities.LABEL_SERVICE, "state", "io.romadr.sandbox", "true"))
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig().withInit(true)
                        .withBinds(new Bind(state.toString(), new Volume("/state"))))
                .exec().getId();
        docker.startContainerCmd(id).exec();
        return id;
    }

    /** Ten 32 MiB random blobs and a text file. */
    private static void generateState(Path state) throws IOException {
        Files.createDirectories(state.resolve("a"));
        Files.createDirectories(state.resolve("b"));
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        long perBlob = STATE_BYTES / 10;
        for (int i = 0; i < 10; i++) {
            try (OutputStream out = Files.newOutputStream(state.resolve("a/blob-" + i + ".bin"))) {
                for (long n = 0; n < perBlob; n += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk);
                }
            }
        }
        Files.writeString(state.resolve("b/notes.txt"), "execution state\n".repeat(1000));
    }

    /** Polls moto until worker #1's multipart upload has {@code parts} parts, then returns how many it has. */
    private static int awaitParts(S3Client s3, String bucket, int parts, WorkerProcess first)
            throws InterruptedException {
        long deadline = System.nanoTime() + KILL_POINT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!first.isAlive()) {
                fail("worker #1 exited before the kill point; its log:\n" + first.logTail());
            }
            for (MultipartUpload u : s3.listMultipartUploads(r -> r.bucket(bucket)).uploads()) {
                int n = s3.listParts(r -> r.bucket(bucket).key(u.key()).uploadId(u.uploadId())).parts().size();
                if (n >= parts) {
                    return n;
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail("worker #1 did not store " + parts + " parts within " + KILL_POINT_TIMEOUT + "; its log:\n"
                + first.logTail());
        return 0;
    }

    /** Until the running activity's last heartbeat on the server lists at least one part; returns how many. */
    private static int awaitCheckpoint(String workflowId, WorkerProcess first) throws InterruptedException {
        long deadline = System.nanoTime() + KILL_POINT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!first.isAlive()) {
                fail("worker #1 exited before the kill point; its log:\n" + first.logTail());
            }
            List<io.temporal.api.workflow.v1.PendingActivityInfo> pending = client.getWorkflowServiceStubs()
                    .blockingStub()
                    .describeWorkflowExecution(io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest
                            .newBuilder().setNamespace("default").setExecution(
                                    io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build())
                    .getPendingActivitiesList();
            for (io.temporal.api.workflow.v1.PendingActivityInfo a : pending) {
                String details = a.getHeartbeatDetails().getPayloadsList().stream()
                        .map(pl -> pl.getData().toStringUtf8()).reduce("", String::concat);
                int parts = details.split("\"number\"", -1).length - 1;
                if (parts > 0) {
                    return parts;
                }
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        fail("no heartbeat naming a stored part reached the server within " + KILL_POINT_TIMEOUT);
        return 0;
    }

    private static int snapshotAttempts(String workflowId) {
        int max = 0;
        for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
                max = Math.max(max, e.getActivityTaskStartedEventAttributes().getAttempt());
            }
        }
        return max;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
