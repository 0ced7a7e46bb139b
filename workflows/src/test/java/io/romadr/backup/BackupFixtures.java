package io.romadr.backup;

import io.romadr.plan.ArtifactBackupSpec;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.GitBackupSpec;
import io.romadr.plan.GitRemote;
import io.romadr.plan.ImageBackupSpec;
import io.romadr.plan.RegistryEndpoint;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.RetentionSpec;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.StateBackupSpec;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Plans and manifests for the backup workflows' unit tests. */
final class BackupFixtures {
    static final BackupStore STORE = new BackupStore("file:///var/backups/roma-dr", null, null, null);

    static final GitBackupSpec GIT = new GitBackupSpec(
            new GitRemote("origin", "git://127.0.0.1:9418/roma.git", null, null, null, null),
            List.of(new GitRemote("backup-1", "git://127.0.0.1:9419/roma.git", null, null, null, null),
                    new GitRemote("backup-2", "https://backup.example/roma.git", "GIT_USER", "GIT_TOKEN", null,
                            null)),
            false, null);
    static final ImageBackupSpec IMAGES = new ImageBackupSpec(new RegistryEndpoint("http://127.0.0.1:5000", null, null),
            new RegistryEndpoint("http://127.0.0.1:5001", null, null), List.of("roma-builder", "roma-web"),
            List.of("latest"), "1.0.0", null);

    private BackupFixtures() {
    }

    static RecoveryPlan plan(boolean withBackup) {
        ServiceSpec service = new ServiceSpec("roma",
                List.of(new ServiceContainer("roma", new ContainerTemplate("roma:1", null, null, null, null, null,
                        null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:8080/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoverySettings settings = new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(30), 1);
        BackupSpec backup = withBackup
                ? new BackupSpec(STORE, new StateBackupSpec("roma", "/app/.roma"),
                        new ArtifactBackupSpec("roma", "/app/out", List.of("*.json"), null),
                        new SecretsBackupSpec(new SecretsBackupSpec.VaultSource("http://127.0.0.1:8200", null,
                                List.of("roma/app"), null), null, List.of("keys/ops.asc")),
                        new RetentionSpec(null, null, new RetentionSpec.Rule(null, null, 2)), null, null, GIT, IMAGES)
                : null;
        return new RecoveryPlan("roma", "test", service, new RtoTargets(Duration.ofMinutes(15), null, null, null,
                null), null, settings, backup, null, null, null);
    }

    /** The replica of {@link #STORE} in the failover region. */
    static final BackupStore REPLICA = new BackupStore("s3://roma-backups-west/roma", null, "us-west-2", null);

    /** {@link #plan(boolean)} in regions us-east-1 / us-west-2 with {@link #REPLICA}; git and images as given. */
    static RecoveryPlan planWithReplica(GitBackupSpec git, ImageBackupSpec images) {
        RecoveryPlan p = plan(true);
        BackupSpec b = p.backup();
        BackupSpec backup = new BackupSpec(b.store(), b.state(), b.artifacts(), b.secrets(), b.retention(),
                b.schedule(), b.verification(), git, images, new io.romadr.plan.ReplicaSpec(REPLICA));
        return new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(), p.recovery(), backup,
                p.site(), p.contacts(), p.notifications(), p.drills(),
                new io.romadr.plan.RegionsSpec("us-east-1", "us-west-2"));
    }

    static BackupManifest manifest(BackupKind kind, long createdAt, String id) {
        String key = BackupKeys.objectKey(kind, "roma", createdAt, id);
        return new BackupManifest(BackupManifest.FORMAT, kind, "roma", key, "ab".repeat(32), 1234, 7, 4000,
                "roma-roma-1:/app/.roma", createdAt, "wf-" + id, List.of(), List.of(), List.of());
    }

    static VerifyResult ok(BackupManifest m) {
        return new VerifyResult(m.objectKey(), true, "", m.sha256(), m.sizeBytes(), m.entries());
    }

    static VerifyResult corrupt(BackupManifest m) {
        return new VerifyResult(m.objectKey(), false, "sha256 mismatch: manifest abab..., stored 0000...",
                "00".repeat(32), m.sizeBytes(), 0);
    }

    static void registerSearchAttributes(TestWorkflowEnvironment testEnv) {
        testEnv.registerSearchAttribute("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
    }

    /** Writes the history to target/histories/backup-NAME.json; pin one in src/test/resources to replay it. */
    static void writeHistory(WorkflowClient client, String workflowId, String name) {
        try {
            Path dir = Path.of("target", "histories");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("backup-" + name + ".json"), client.fetchHistory(workflowId).toJson(true));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
