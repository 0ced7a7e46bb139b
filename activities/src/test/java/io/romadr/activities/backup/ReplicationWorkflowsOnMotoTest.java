package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.objectstore.S3ObjectStore;
import io.romadr.backup.ArtifactBackupWorkflow;
import io.romadr.backup.ArtifactBackupWorkflowImpl;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.BackupVerificationWorkflowImpl;
import io.romadr.backup.VerificationReport;
import io.romadr.backup.VerificationRequest;
import io.romadr.backup.VerificationRow;
import io.romadr.backup.VerificationStatus;
import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.activities.plan.FixedPlan;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.RegionsSpec;
import io.romadr.plan.ReplicaSpec;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.report.Outcome;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real workflows on the real activities, moto with a us-east-1 primary and a us-west-2 replica bucket: an
 * artifact backup replicates itself, the weekly verification's replica rows pass, then catch a tampered copy
 * (CORRUPT) and a deleted one (MISSING) while the primary's rows stay OK.
 */
@org.junit.jupiter.api.Tag("integration")
class ReplicationWorkflowsOnMotoTest {
    private static final String REPLICA_REGION = "us-west-2";
    private static DockerClient docker;
    private static MotoServer moto;
    private static S3Client west;

    @TempDir
    Path tmp;
    private final String project = BackupTestSupport.project();
    private final String run = Long.toHexString(System.nanoTime());
    private TestWorkflowEnvironment env;

    @BeforeAll
    static void services() throws Exception {
        docker = BackupTestSupport.docker();
        moto = MotoServer.start();
        west = moto.s3(REPLICA_REGION);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{west, moto}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
        if (env != null) {
            env.close();
        }
    }

    private RecoveryPlan plan(BackupStore primary, BackupStore replica) {
        ServiceSpec service = new ServiceSpec(project,
                List.of(new ServiceContainer(BackupTestSupport.SERVICE, new ContainerTemplate("busybox", null, null,
                        null, null, null, null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:9/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(30), 1);
        BackupSpec backup = new BackupSpec(primary, null, new ArtifactBackupSpec(BackupTestSupport.SERVICE, "/data",
                List.of("**/*.json"), null), null, null, null, null, null, null, new ReplicaSpec(replica));
        return new RecoveryPlan("roma", "replication on moto", service, new RtoTargets(Duration.ofMinutes(15), null,
                null, null, null), null, settings, backup, null, null, null, null,
                new RegionsSpec(MotoServer.REGION, REPLICA_REGION));
    }

    private <W> W stub(Class<W> type, String queue, String id) {
        return env.getWorkflowClient().newWorkflowStub(type, WorkflowOptions.newBuilder().setTaskQueue(queue)
                .setWorkflowId(id + "-" + run).build());
    }

    private VerificationReport verify(String queue, String id) {
        try {
            return stub(BackupVerificationWorkflow.class, queue, id).verify(new VerificationRequest("roma", "junit"));
        } catch (WorkflowFailedException e) {
            ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
            return failure.getDetails().get(VerificationReport.class);
        }
    }

    private static Map<String, VerificationStatus> statuses(VerificationReport r) {
        return r.rows().stream().collect(Collectors.toMap(row -> row.kind() + " " + row.check(),
                VerificationRow::status));
    }

    @Test
    void aBackupReplicatesItselfAndTheVerificationCatchesATamperedAndAMissingCopy() throws Exception {
        String primaryBucket = moto.freshBucket();
        String replicaBucket = "v-" + run;
        west.createBucket(r -> r.bucket(replicaBucket)
                .createBucketConfiguration(c -> c.locationConstraint(REPLICA_REGION)));
        BackupStore primary = new BackupStore("s3://" + primaryBucket + "/dr", moto.endpoint().toString(),
                MotoServer.REGION, true);
        BackupStore replica = new BackupStore("s3://" + replicaBucket + "/dr", moto.endpoint().toString(),
                REPLICA_REGION, true);
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        BackupTestSupport.generateState(state);
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");

        // Real time: the runs compare backup ages with the workflow clock, which time skipping would run ahead.
        env = TestWorkflowEnvironment.newInstance(io.temporal.testing.TestEnvironmentOptions.newBuilder()
                .setUseTimeskipping(false).build());
        env.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        env.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        env.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        env.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
        String queue = "replication-" + run;
        Worker worker = env.newWorker(queue);
        worker.registerWorkflowImplementationTypes(ArtifactBackupWorkflowImpl.class,
                BackupVerificationWorkflowImpl.class);
        worker.registerActivitiesImplementations(new FixedPlan(plan(primary, replica)),
                new DockerBackupActivities(docker,
                        s -> new S3ObjectStore(s, moto.credentials(), S3ObjectStore.MIN_PART_SIZE)));
        env.start();

        BackupReport backup = stub(ArtifactBackupWorkflow.class, queue, "backup")
                .backup(new BackupRequest("roma", "junit"));
        assertEquals(Outcome.RECOVERED, backup.outcome());
        assertTrue(backup.replica().ok(), backup.summary());
        String key = "dr/" + backup.manifest().objectKey();
        byte[] stored = moto.s3().getObjectAsBytes(r -> r.bucket(primaryBucket).key(key)).asByteArray();
        assertArrayEquals(stored, west.getObjectAsBytes(r -> r.bucket(replicaBucket).key(key)).asByteArray());
        assertTrue(backup.summary().contains("Replicated to s3://" + replicaBucket + "/dr (us-west-2), sha256 "
                + backup.manifest().sha256() + " verified."), backup.summary());

        VerificationReport fresh = verify(queue, "verify-fresh");
        assertTrue(fresh.allOk(), fresh.rows().toString());
        assertEquals(VerificationStatus.OK, statuses(fresh).get("artifacts replica integrity"));

        byte[] tampered = stored.clone();
        tampered[tampered.length / 3] ^= 0x40;
        west.putObject(r -> r.bucket(replicaBucket).key(key), RequestBody.fromBytes(tampered));
        VerificationReport caught = verify(queue, "verify-tampered");
        assertEquals(VerificationStatus.CORRUPT, statuses(caught).get("artifacts replica integrity"),
                caught.rows().toString());
        assertEquals(VerificationStatus.OK, statuses(caught).get("artifacts integrity"));
        assertTrue(caught.summary().startsWith("1 of "), caught.summary());

        west.deleteObject(r -> r.bucket(replicaBucket).key(key));
        VerificationReport missing = verify(queue, "verify-missing");
        assertEquals(VerificationStatus.MISSING, statuses(missing).get("artifacts replica integrity"),
                missing.rows().toString());
        assertThrows(software.amazon.awssdk.services.s3.model.NoSuchKeyException.class,
                () -> west.getObjectAsBytes(r -> r.bucket(replicaBucket).key(key)));
    }
}
