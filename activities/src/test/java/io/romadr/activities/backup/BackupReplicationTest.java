package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.S3ObjectStore;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.BackupRef;
import io.romadr.backup.ReplicaCopy;
import io.romadr.backup.ReplicateRequest;
import io.romadr.backup.SecretsActivities;
import io.romadr.backup.SecretsExportRequest;
import io.romadr.backup.SnapshotRequest;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.romadr.plan.SecretsBackupSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replication to the failover region on moto with two buckets in two regions (us-east-1 primary, us-west-2 replica):
 * a real state snapshot and artifact backup of a container and a real encrypted secrets export (Secrets Manager on
 * moto, a key made by the real gpg) are copied byte for byte, a retried replication copies nothing, and a tampered or
 * missing copy is what reading the replica back reports (the weekly verification's replica rows read it so).
 */
@org.junit.jupiter.api.Tag("integration")
class BackupReplicationTest {
    private static final String PLAN = "roma";
    private static final String REPLICA_REGION = "us-west-2";
    private static DockerClient docker;
    private static MotoServer moto;
    private static S3Client west;
    private static GpgHome gpg;

    @TempDir
    Path tmp;
    private final String project = BackupTestSupport.project();
    private final String run = Long.toHexString(System.nanoTime());
    private final AtomicInteger replicaWrites = new AtomicInteger();
    private String primaryBucket;
    private String replicaBucket;
    private BackupStore primary;
    private BackupStore replica;
    private TestActivityEnvironment env;
    private BackupActivities backups;
    private SecretsActivities secrets;

    @BeforeAll
    static void services() throws Exception {
        docker = BackupTestSupport.docker();
        moto = MotoServer.start();
        west = moto.s3(REPLICA_REGION);
        gpg = new GpgHome("replication " + System.nanoTime());
        gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{west, moto, gpg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        primaryBucket = moto.freshBucket();
        replicaBucket = "w-" + run;
        west.createBucket(r -> r.bucket(replicaBucket)
                .createBucketConfiguration(c -> c.locationConstraint(REPLICA_REGION)));
        primary = new BackupStore("s3://" + primaryBucket + "/dr", moto.endpoint().toString(), MotoServer.REGION,
                true);
        replica = new BackupStore("s3://" + replicaBucket + "/dr", moto.endpoint().toString(), REPLICA_REGION, true);
        Path keys = tmp.resolve("keys");
        Files.createDirectories(keys);
        Files.writeString(keys.resolve("ops.asc"), gpg.exportPublic("ops@example.org"));
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new DockerBackupActivities(docker, this::open),
                new SecretsBackupActivities(keys, this::open,
                        s -> new SecretsManagerSecrets(s.region(), s.endpoint(), moto.credentials()), name -> null));
        ActivityOptions options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build()).build();
        backups = env.newActivityStub(BackupActivities.class, options);
        secrets = env.newActivityStub(SecretsActivities.class, options);
    }

    @AfterEach
    void tearDown() {
        BackupTestSupport.removeProject(docker, project);
        env.close();
    }

    /** The replica's writes are counted, to prove a retried replication copies nothing. */
    private ObjectStore open(BackupStore spec) {
        ObjectStore store = new S3ObjectStore(spec, moto.credentials(), S3ObjectStore.MIN_PART_SIZE);
        return spec.equals(replica) ? new CountingStore(store, replicaWrites) : store;
    }

    private byte[] object(String bucket, String key) {
        return moto.s3().getObjectAsBytes(r -> r.bucket(bucket).key("dr/" + key)).asByteArray();
    }

    private BackupManifest snapshot(BackupKind kind, List<String> include) {
        long now = System.currentTimeMillis();
        return backups.snapshot(new SnapshotRequest(kind, PLAN, primary, project, BackupTestSupport.SERVICE, "/data",
                include, BackupKeys.objectKey(kind, PLAN, now, run.substring(0, 8)), now, "wf-" + run));
    }

    private BackupManifest secretsExport() throws Exception {
        String name = "roma-" + run + "/db";
        try (SecretsManagerSecrets sm = new SecretsManagerSecrets(MotoServer.REGION, moto.endpoint().toString(),
                moto.credentials())) {
            sm.write(AwsSecretValue.ofString(name, "{\"password\":\"db-" + run + "\"}"));
        }
        SecretsBackupSpec spec = new SecretsBackupSpec(null, new SecretsBackupSpec.SecretsManagerSource(
                MotoServer.REGION, moto.endpoint().toString(), List.of(name)), List.of("ops.asc"));
        long now = System.currentTimeMillis();
        return secrets.exportSecrets(new SecretsExportRequest(PLAN, primary, spec, BackupKeys.objectKey(
                BackupKind.SECRETS, PLAN, now, run.substring(0, 8)), now, "wf-" + run));
    }

    private List<BackupManifest> everyKind() throws Exception {
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        BackupTestSupport.generateState(state);
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        return List.of(snapshot(BackupKind.STATE, List.of()), snapshot(BackupKind.ARTIFACTS, List.of("**/*.json")),
                secretsExport());
    }

    @Test
    void everyKindIsCopiedByteForByteToTheOtherRegionAndARetryCopiesNothing() throws Exception {
        assertEquals(REPLICA_REGION, west.getBucketLocation(r -> r.bucket(replicaBucket)).locationConstraintAsString());
        List<BackupManifest> stored = everyKind();
        for (BackupManifest m : stored) {
            ReplicaCopy copy = backups.replicateBackup(new ReplicateRequest(primary, replica, m));
            assertTrue(copy.copied(), m.objectKey());
            assertEquals(m.sha256(), copy.sha256());
            VerifyResult read = backups.verifyBackup(new BackupRef(replica, m));
            assertTrue(read.ok(), read.problem());
            assertEquals(m.sha256(), read.actualSha256());
            assertArrayEquals(object(primaryBucket, m.objectKey()), object(replicaBucket, m.objectKey()),
                    m.objectKey());
            assertArrayEquals(object(primaryBucket, m.manifestKey()), object(replicaBucket, m.manifestKey()),
                    m.manifestKey());
        }
        // the secrets export is copied as stored: encrypted, the value nowhere in clear
        byte[] copied = object(replicaBucket, stored.get(2).objectKey());
        assertFalse(new String(copied, StandardCharsets.ISO_8859_1).contains("db-" + run));
        // what the failover region restores from: the replica lists the same backups
        for (BackupManifest m : stored) {
            assertEquals(List.of(m), backups.listBackups(new io.romadr.backup.ListBackupsRequest(replica, PLAN,
                    m.kind())));
        }

        int writes = replicaWrites.get();
        assertEquals(6, writes, "one upload and one manifest per backup");
        for (BackupManifest m : stored) {
            assertFalse(backups.replicateBackup(new ReplicateRequest(primary, replica, m)).copied(), m.objectKey());
        }
        assertEquals(writes, replicaWrites.get(), "a retried replication writes nothing");
    }

    @Test
    void aTamperedOrMissingCopyIsReportedAndTheNextReplicationRepairsIt() throws Exception {
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        BackupTestSupport.generateState(state);
        BackupTestSupport.startContainer(docker, project, state.toString(), "/data");
        BackupManifest m = snapshot(BackupKind.STATE, List.of());
        backups.replicateBackup(new ReplicateRequest(primary, replica, m));

        byte[] bytes = object(replicaBucket, m.objectKey());
        bytes[bytes.length / 2] ^= 0x01;
        west.putObject(r -> r.bucket(replicaBucket).key("dr/" + m.objectKey()), RequestBody.fromBytes(bytes));
        VerifyResult tampered = backups.verifyBackup(new BackupRef(replica, m));
        assertFalse(tampered.ok());
        assertTrue(tampered.problem().startsWith("sha256 mismatch"), tampered.problem());
        assertTrue(backups.verifyBackup(new BackupRef(primary, m)).ok(), "the primary is untouched");

        ReplicaCopy repaired = backups.replicateBackup(new ReplicateRequest(primary, replica, m));
        assertTrue(repaired.copied(), "a copy with other bytes is copied again");
        assertTrue(backups.verifyBackup(new BackupRef(replica, m)).ok());

        west.deleteObject(r -> r.bucket(replicaBucket).key("dr/" + m.objectKey()));
        VerifyResult missing = backups.verifyBackup(new BackupRef(replica, m));
        assertFalse(missing.ok());
        assertTrue(missing.problem().startsWith("missing object " + m.objectKey()), missing.problem());
        assertTrue(backups.replicateBackup(new ReplicateRequest(primary, replica, m)).copied());
        assertArrayEquals(object(primaryBucket, m.objectKey()), object(replicaBucket, m.objectKey()));
    }
}
