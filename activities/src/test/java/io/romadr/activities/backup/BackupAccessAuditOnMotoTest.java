package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.backup.AccessAuditReport;
import io.romadr.backup.AccessFinding;
import io.romadr.backup.AuditRequest;
import io.romadr.backup.AuditSeverity;
import io.romadr.backup.BackupAccessAuditWorkflow;
import io.romadr.backup.BackupAccessAuditWorkflowImpl;
import io.romadr.backup.BackupReportFormatter;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.ContainerTemplate;
import io.romadr.plan.HealthCheck;
import io.romadr.plan.HttpCheck;
import io.romadr.activities.plan.FixedPlan;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.RecoverySettings;
import io.romadr.plan.ReplicaSpec;
import io.romadr.plan.RtoTargets;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.ServiceContainer;
import io.romadr.plan.ServiceSpec;
import io.romadr.plan.StoreCredentials;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The backup access audit, the real workflow on the real activities, against moto with three buckets (a public one
 * as the main store, one without versioning whose policy lets the worker delete as the replica, a clean one as the secrets' own store) and OpenBao with
 * a policy that can delete a backed-up path.
 */
@org.junit.jupiter.api.Tag("integration")
class BackupAccessAuditOnMotoTest {
    private static MotoServer moto;
    private static OpenBaoDevServer bao;
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void services() throws Exception {
        moto = MotoServer.start();
        bao = OpenBaoDevServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{bao, moto}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private BackupStore store(String bucket) {
        return new BackupStore("s3://" + bucket + "/dr", moto.endpoint().toString(), MotoServer.REGION, true,
                new StoreCredentials(null, "AUDIT_KEY_ID", "AUDIT_SECRET", null));
    }

    private void putPolicy(String name, String rules) throws Exception {
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("policy", rules));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(bao.address() + "/v1/sys/policies/acl/" + name)).header("X-Vault-Token", bao.token())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "HTTP " + r.statusCode() + " " + r.body());
    }

    @Test
    void thePublicBucketIsCriticalTheUnversionedOneHighTheCleanOneOnlyInfoAndTheDeletingPolicyHigh()
            throws Exception {
        var s3 = moto.s3();
        String open = moto.freshBucket();
        s3.putBucketAcl(r -> r.bucket(open).acl(BucketCannedACL.PUBLIC_READ));
        s3.putBucketPolicy(r -> r.bucket(open).policy("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*"}]}""".formatted(open)));
        String unversioned = moto.freshBucket();
        String workerArn;
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(moto.credentials()).httpClientBuilder(ApacheHttpClient.builder()).build()) {
            workerArn = sts.getCallerIdentity().arn();
        }
        s3.putBucketPolicy(r -> r.bucket(unversioned).policy("""
                {"Version": "2012-10-17", "Statement": [{"Sid": "WorkerRetention", "Effect": "Allow",
                 "Principal": {"AWS": "%s"}, "Action": ["s3:GetObject", "s3:DeleteObject"],
                 "Resource": "arn:aws:s3:::%s/*"}]}""".formatted(workerArn, unversioned)));
        String clean = "c-" + run;
        s3.createBucket(r -> r.bucket(clean).objectLockEnabledForBucket(true));
        s3.putBucketVersioning(r -> r.bucket(clean).versioningConfiguration(v -> v.status("Enabled")));
        s3.putObjectLockConfiguration(r -> r.bucket(clean).objectLockConfiguration(c -> c.objectLockEnabled(
                "Enabled").rule(
                        rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE)
                                .days(30)))));
        s3.putPublicAccessBlock(r -> r.bucket(clean).publicAccessBlockConfiguration(c -> c.blockPublicAcls(true)
                .ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));

        String path = "roma-" + run + "/app";
        putPolicy("reader-" + run, "path \"secret/data/roma-" + run + "/*\" { capabilities = [\"read\"] }\n"
                + "path \"secret/metadata/roma-" + run + "/\" { capabilities = [\"list\"] }");
        putPolicy("cleaner-" + run, "path \"secret/metadata/roma-" + run + "/+\" { capabilities = [\"delete\"] }");

        SecretsBackupSpec secrets = new SecretsBackupSpec(new SecretsBackupSpec.VaultSource(bao.address().toString(),
                "secret", List.of(path), "AUDIT_VAULT_TOKEN"), null, List.of("ops.asc"), store(clean));
        BackupSpec backup = new BackupSpec(store(open), null, null, secrets, null, null, null, null, null,
                new ReplicaSpec(store(unversioned)));
        ServiceSpec service = new ServiceSpec("roma", List.of(new ServiceContainer("web", new ContainerTemplate(
                "busybox", null, null, null, null, null, null, null))),
                List.of(new HealthCheck("http", new HttpCheck("http://127.0.0.1:9/health", 200, null), null)),
                List.of(), List.of(), 10);
        RecoveryPlan plan = new RecoveryPlan("roma", "audit on moto", service, new RtoTargets(Duration.ofMinutes(15),
                null, null, null, null), null,
                new RecoverySettings(Duration.ofSeconds(30), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofMinutes(1), Duration.ofSeconds(30), 1),
                backup, null, null, null, null, null);
        Map<String, String> env = Map.of("AUDIT_KEY_ID", "auditor-" + run, "AUDIT_SECRET", "s-" + run,
                "AUDIT_VAULT_TOKEN", bao.token());

        AccessAuditReport report;
        try (TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance()) {
            for (String attribute : List.of("RomaScenario", "RomaPlan", "RomaOutcome")) {
                testEnv.registerSearchAttribute(attribute, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
            }
            testEnv.registerSearchAttribute("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL);
            Worker worker = testEnv.newWorker("audit-" + run);
            worker.registerWorkflowImplementationTypes(BackupAccessAuditWorkflowImpl.class);
            worker.registerActivitiesImplementations(new FixedPlan(plan), new BackupAccessAuditActivities(env::get));
            testEnv.start();
            WorkflowFailedException failed = org.junit.jupiter.api.Assertions.assertThrows(
                    WorkflowFailedException.class, () -> testEnv.getWorkflowClient().newWorkflowStub(
                            BackupAccessAuditWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue("audit-" + run)
                                    .setWorkflowId("audit-" + run).build())
                            .audit(new AuditRequest("roma", "junit")));
            report = assertInstanceOf(ApplicationFailure.class, failed.getCause()).getDetails()
                    .get(AccessAuditReport.class);
        }
        String markdown = BackupReportFormatter.markdown(report);

        List<AccessFinding> main = of(report, "main s3://" + open + "/dr");
        assertEquals(AuditSeverity.CRITICAL, severity(main, "bucket policy"), markdown);
        assertEquals(AuditSeverity.CRITICAL, severity(main, "ACL"), markdown);
        assertTrue(main.stream().anyMatch(f -> f.evidence().contains("statement PublicRead allows s3:GetObject")),
                markdown);

        List<AccessFinding> replica = of(report, "replica s3://" + unversioned + "/dr");
        assertEquals(AuditSeverity.HIGH, severity(replica, "versioning"), markdown);
        assertEquals(AuditSeverity.HIGH, severity(replica, "deletion by the worker"), markdown);
        assertEquals(AuditSeverity.MEDIUM, severity(replica, "object lock"), markdown);
        assertEquals(AuditSeverity.MEDIUM, severity(replica, "public access block"), markdown);

        List<AccessFinding> secretsStore = of(report, "secrets s3://" + clean + "/dr");
        assertEquals(6, secretsStore.size(), markdown);
        assertTrue(secretsStore.stream().allMatch(f -> f.severity() == AuditSeverity.INFO), markdown);
        assertTrue(secretsStore.stream().anyMatch(f -> f.evidence().equals("enabled, default retention GOVERNANCE"
                + " 30 day(s)")), markdown);

        List<AccessFinding> vault = of(report, "vault secret/" + path);
        assertEquals(AuditSeverity.HIGH, severity(vault, "delete"), markdown);
        String deleters = vault.stream().filter(f -> f.check().equals("delete")).findFirst().orElseThrow()
                .evidence();
        assertTrue(deleters.contains("cleaner-" + run + " (delete on metadata/)"), deleters);
        assertTrue(!deleters.contains("reader-" + run), deleters);
        assertTrue(vault.stream().anyMatch(f -> f.check().equals("read") && f.evidence().contains("reader-" + run)
                && !f.evidence().contains("cleaner-")), markdown);
        assertTrue(vault.stream().anyMatch(f -> f.check().equals("list") && f.evidence().contains("reader-" + run)),
                markdown);
        assertTrue(markdown.contains("| CRITICAL | main s3://" + open + "/dr | ACL | grants READ to AllUsers |"),
                markdown);
    }

    private static List<AccessFinding> of(AccessAuditReport report, String target) {
        return report.findings().stream().filter(f -> f.target().equals(target)).toList();
    }

    private static AuditSeverity severity(List<AccessFinding> findings, String check) {
        return findings.stream().filter(f -> f.check().equals(check)).map(AccessFinding::severity).findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " row in " + findings));
    }
}
