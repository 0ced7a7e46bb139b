package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.backup.BackupCatalog;
import io.romadr.backup.BackupCatalogWorkflow;
import io.romadr.backup.BackupCatalogWorkflowImpl;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupReport;
import io.romadr.backup.BackupRequest;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.BackupVerificationWorkflowImpl;
import io.romadr.backup.CatalogRequest;
import io.romadr.backup.SecretsBackupWorkflow;
import io.romadr.backup.SecretsBackupWorkflowImpl;
import io.romadr.backup.VerificationReport;
import io.romadr.backup.VerificationRequest;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.activities.plan.FixedPlan;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.StoreCredentials;
import io.romadr.report.Outcome;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets' own store ({@code backup.secrets.store}) on moto with the real workflows and activities: the export
 * lands in the secrets bucket, opened with the credentials its plan entry names, and nothing in the main bucket;
 * the listing and the weekly verification find it there. The main store names credentials variables that are not
 * set, so any use of the main store's credentials for the secrets would fail the run.
 */
@org.junit.jupiter.api.Tag("integration")
class SecretsStoreOnMotoTest {
    private static final String PASSPHRASE = "secrets store " + System.nanoTime();
    private static MotoServer moto;
    private static GpgHome gpg;
    private static DockerClient docker;

    @TempDir
    static Path keys;
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void services() throws Exception {
        moto = MotoServer.start();
        docker = BackupTestSupport.docker();
        gpg = new GpgHome(PASSPHRASE);
        gpg.generateKey("Ops <ops@example.org>", "future-default", "default", "never");
        Files.writeString(keys.resolve("ops.asc"), gpg.exportPublic("ops@example.org"));
        Files.writeString(keys.resolve("ops.key"), gpg.exportSecret("ops@example.org"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{gpg, moto}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static RecoveryPlan plan(BackupSpec backup) {
        ServiceSpec service = new ServiceSpec("roma-secrets-store",
                List.of(new ServiceContainer("web", new ContainerTemplate("busybox", null, null, null, null, null,
                        null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:9/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(30), 1);
        return new RecoveryPlan("roma", "secrets store on moto", service, new RtoTargets(Duration.ofMinutes(15), null,
                null, null, null), null, settings, backup, null, null, null, null, null);
    }

    @Test
    void theExportLandsInTheSecretsBucketWithItsOwnCredentialsAndIsListedAndVerifiedThere() throws Exception {
        String mainBucket = moto.freshBucket();
        String secretsBucket = moto.freshBucket();
        String endpoint = moto.endpoint().toString();
        BackupStore main = new BackupStore("s3://" + mainBucket + "/dr", endpoint, MotoServer.REGION, true,
                new StoreCredentials(null, "MAIN_STORE_KEY_ID_NOT_SET", "MAIN_STORE_SECRET_NOT_SET", null));
        BackupStore secretsStore = new BackupStore("s3://" + secretsBucket + "/dr", endpoint, MotoServer.REGION, true,
                new StoreCredentials(null, "SECRETS_STORE_KEY_ID", "SECRETS_STORE_SECRET", null));
        String name = "roma-" + run + "/db";
        try (SecretsManagerSecrets sm = new SecretsManagerSecrets(MotoServer.REGION, endpoint, moto.credentials())) {
            sm.write(AwsSecretValue.ofString(name, "{\"password\":\"pw-" + run + "\"}"));
        }
        SecretsBackupSpec secrets = new SecretsBackupSpec(null,
                new SecretsBackupSpec.SecretsManagerSource(MotoServer.REGION, endpoint, List.of(name)),
                List.of("ops.asc"), secretsStore);
        BackupSpec backup = new BackupSpec(main, null, null, secrets, null, null, null, null, null);
        Map<String, String> env = Map.of("SECRETS_STORE_KEY_ID", "secrets-writer-" + run,
                "SECRETS_STORE_SECRET", "secret-" + run,
                SecretsBackupActivities.KEY_FILE_ENV, keys.resolve("ops.key").toString(),
                SecretsBackupActivities.PASSPHRASE_ENV, PASSPHRASE);
        java.util.function.Function<BackupStore, io.romadr.activities.objectstore.ObjectStore> stores = s -> {
            try {
                return ObjectStores.open(s, env::get);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };

        // Real time: the verification compares the backup's age with the workflow clock.
        try (TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions
                .newBuilder().setUseTimeskipping(false).build())) {
            for (String attribute : List.of("RomaScenario", "RomaPlan", "RomaOutcome")) {
                testEnv.registerSearchAttribute(attribute, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
            }
            testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
            String queue = "secrets-store-" + run;
            Worker worker = testEnv.newWorker(queue);
            worker.registerWorkflowImplementationTypes(SecretsBackupWorkflowImpl.class,
                    BackupCatalogWorkflowImpl.class, BackupVerificationWorkflowImpl.class);
            worker.registerActivitiesImplementations(new FixedPlan(plan(backup)),
                    new DockerBackupActivities(docker, stores),
                    new SecretsBackupActivities(keys, stores,
                            s -> new SecretsManagerSecrets(s.region(), s.endpoint(), moto.credentials()), env::get));
            testEnv.start();
            var client = testEnv.getWorkflowClient();
            java.util.function.Function<String, WorkflowOptions> options = id -> WorkflowOptions.newBuilder()
                    .setTaskQueue(queue).setWorkflowId(id + "-" + run).build();

            BackupReport exported = client.newWorkflowStub(SecretsBackupWorkflow.class, options.apply("export"))
                    .backup(new BackupRequest("roma", "junit"));
            assertEquals(Outcome.RECOVERED, exported.outcome(), exported.summary());
            String key = "dr/" + exported.manifest().objectKey();
            assertTrue(moto.s3().getObjectAsBytes(r -> r.bucket(secretsBucket).key(key)).asByteArray().length > 0);
            assertEquals(0, moto.s3().listObjectsV2(r -> r.bucket(mainBucket)).keyCount(),
                    "nothing of the secrets in the main bucket");

            BackupCatalog listed = client.newWorkflowStub(BackupCatalogWorkflow.class, options.apply("list"))
                    .list(new CatalogRequest("roma", List.of(BackupKind.SECRETS), true));
            assertEquals(1, listed.entries().size(), listed.toString());
            assertEquals("s3://" + mainBucket + "/dr (secrets in s3://" + secretsBucket + "/dr)", listed.store());
            assertTrue(listed.entries().get(0).verification().ok(), listed.toString());

            VerificationReport verified = client.newWorkflowStub(BackupVerificationWorkflow.class,
                    options.apply("verify")).verify(new VerificationRequest("roma", "junit"));
            assertTrue(verified.allOk(), verified.rows().toString());
            // The measured RPO too, from the secrets' own store (the main store's credentials are not even set).
            assertEquals(List.of("freshness", "integrity", "decrypt", "rpo"),
                    verified.rows().stream().map(r -> r.check()).toList());
        }
    }
}
