package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.romadr.notify.FakeNotifications;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.RecoveryPlan;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.plan.StoreCredentials;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every store of the plan and the Vault policies are audited; a finding above INFO fails the run and is told. */
class BackupAccessAuditWorkflowTest {

    @RegisterExtension
    static final TestWorkflowExtension env = TestWorkflowExtension.newBuilder()
            .registerWorkflowImplementationTypes(BackupAccessAuditWorkflowImpl.class)
            .setDoNotStart(true)
            .build();

    static final BackupStore SECRETS_STORE = new BackupStore("s3://roma-secrets/roma", null, null, null,
            new StoreCredentials(null, "SECRETS_KEY_ID", "SECRETS_SECRET", null));

    private final PlanActivities plans = mock(PlanActivities.class, withSettings().withoutAnnotations());
    private final AccessAuditActivities audits = mock(AccessAuditActivities.class,
            withSettings().withoutAnnotations());
    private final FakeNotifications notifications = new FakeNotifications();
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    /** {@link BackupFixtures#planWithReplica} with the secrets in their own store. */
    private static RecoveryPlan planWithThreeStores() {
        RecoveryPlan p = BackupFixtures.planWithReplica(null, null);
        BackupSpec b = p.backup();
        SecretsBackupSpec s = b.secrets();
        BackupSpec backup = new BackupSpec(b.store(), b.state(), b.artifacts(),
                new SecretsBackupSpec(s.vault(), s.secretsManager(), s.recipients(), SECRETS_STORE), b.retention(),
                b.schedule(), b.verification(), null, null, b.replica());
        return FakeNotifications.withRoutes(new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(),
                p.rpo(), p.recovery(), backup, p.site(), p.contacts(), p.notifications(), p.drills(), p.regions()));
    }

    private AccessAuditReport run(TestWorkflowEnvironment testEnv, Worker worker, RecoveryPlan plan,
            boolean expectFailed) {
        BackupFixtures.registerSearchAttributes(testEnv);
        when(plans.loadPlan("roma")).thenReturn(plan);
        worker.registerActivitiesImplementations(plans, audits, notifications);
        testEnv.start();
        BackupAccessAuditWorkflow wf = testEnv.getWorkflowClient().newWorkflowStub(BackupAccessAuditWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(worker.getTaskQueue()).setWorkflowId("wf-" + testName)
                        .build());
        AccessAuditReport report;
        boolean failed;
        try {
            report = wf.audit(new AuditRequest("roma", "junit"));
            failed = false;
        } catch (WorkflowFailedException e) {
            ApplicationFailure failure = (ApplicationFailure) e.getCause();
            assertEquals("VerificationFailed", failure.getType());
            report = failure.getDetails().get(AccessAuditReport.class);
            failed = true;
        }
        BackupFixtures.writeHistory(testEnv.getWorkflowClient(), "wf-" + testName, "audit-" + testName);
        assertEquals(expectFailed, failed, "FAILED execution exactly when a finding is above INFO");
        assertEquals(!report.clean(), failed);
        return report;
    }

    private static List<AccessFinding> info(StoreAuditRequest r) {
        return List.of(new AccessFinding(r.role() + " " + r.store().uri(), "versioning", AuditSeverity.INFO,
                "Enabled", ""));
    }

    @Test
    void everyStoreAndTheVaultPoliciesAreAuditedAndACleanPlanPasses(TestWorkflowEnvironment testEnv,
            Worker worker) {
        when(audits.auditStore(any())).thenAnswer(inv -> info(inv.getArgument(0)));
        when(audits.auditVaultPolicies(any())).thenReturn(List.of(new AccessFinding("vault secret/roma/app",
                "read", AuditSeverity.INFO, "policies that can read: roma-worker", "")));

        AccessAuditReport r = run(testEnv, worker, planWithThreeStores(), false);

        assertEquals(Set.of("main file:///var/backups/roma-dr", "secrets s3://roma-secrets/roma",
                "replica s3://roma-backups-west/roma", "vault secret/roma/app"),
                r.findings().stream().map(AccessFinding::target).collect(Collectors.toSet()));
        verify(audits).auditStore(new StoreAuditRequest("secrets", SECRETS_STORE));
        assertTrue(r.summary().startsWith("No finding above INFO (4 checks)"), r.summary());
        assertTrue(notifications.notices().stream().noneMatch(n -> !n.contains(" resolved")),
                notifications.notices().toString());
        assertTrue(BackupReportFormatter.markdown(r).contains("| INFO | secrets s3://roma-secrets/roma | versioning"
                + " | Enabled |"), BackupReportFormatter.markdown(r));
    }

    @Test
    void aPublicBucketFailsTheRunWorstFirstAndIsTold(TestWorkflowEnvironment testEnv, Worker worker) {
        when(audits.auditStore(any())).thenAnswer(inv -> {
            StoreAuditRequest req = inv.getArgument(0);
            if (!req.role().equals("replica")) {
                return info(req);
            }
            return List.of(new AccessFinding("replica " + req.store().uri(), "versioning", AuditSeverity.HIGH,
                    "not enabled", "Enable versioning."),
                    new AccessFinding("replica " + req.store().uri(), "bucket policy", AuditSeverity.CRITICAL,
                            "statement PublicRead allows s3:GetObject to Principal \"*\"", "Remove the statement."));
        });
        when(audits.auditVaultPolicies(any())).thenThrow(new IllegalStateException("permission denied"));

        AccessAuditReport r = run(testEnv, worker, planWithThreeStores(), true);

        assertEquals(List.of(AuditSeverity.CRITICAL, AuditSeverity.HIGH, AuditSeverity.MEDIUM, AuditSeverity.INFO,
                AuditSeverity.INFO), r.findings().stream().map(AccessFinding::severity).toList());
        assertEquals("policies", r.findings().get(2).check(), "Vault unreadable: a finding, not a crash");
        assertTrue(r.summary().startsWith("3 finding(s) to act on: 1 critical, 1 high, 1 medium"), r.summary());
        String pager = " -> " + FakeNotifications.ONCALL_PAGER.describe();
        assertTrue(notifications.notices().contains("audit/roma/replica-s3://roma-backups-west/roma/bucket-policy"
                + " verification-failed" + pager), notifications.notices().toString());
    }

    @Test
    void aPlanWithoutVaultSecretsAuditsOnlyItsStore(TestWorkflowEnvironment testEnv, Worker worker) {
        RecoveryPlan p = BackupFixtures.plan(true);
        BackupSpec b = p.backup();
        RecoveryPlan noSecrets = new RecoveryPlan(p.name(), p.description(), p.service(), p.rto(), p.rpo(),
                p.recovery(), new BackupSpec(b.store(), b.state(), b.artifacts(), null, b.retention(),
                        b.schedule(), b.verification(), null, null),
                p.site(), p.contacts(), p.notifications(), p.drills(), p.regions());
        when(audits.auditStore(any())).thenAnswer(inv -> info(inv.getArgument(0)));

        AccessAuditReport r = run(testEnv, worker, noSecrets, false);

        assertEquals(1, r.findings().size());
        verify(audits, never()).auditVaultPolicies(any());
    }
}
