package io.romadr.backup;

import io.romadr.notify.NotifyEvent;
import io.romadr.plan.BackupSpec;
import io.romadr.plan.BackupStore;
import io.romadr.plan.RecoveryPlan;
import io.romadr.report.Outcome;
import io.romadr.report.RunFailure;
import io.romadr.runtime.Steps;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

public class BackupAccessAuditWorkflowImpl extends BackupWorkflowBase<AccessAuditReport>
        implements BackupAccessAuditWorkflow {
    private AuditRequest request;
    private final List<AccessFinding> findings = new ArrayList<>();

    @Override
    public AccessAuditReport audit(AuditRequest request) {
        this.request = request;
        run = new BackupWorkflowSupport("backup-access-audit", request.plan());
        run.tellAtEnd("access-audit", (outcome, summary) -> tellFindings());
        try {
            RecoveryPlan plan = run.loadPlan(request.plan(), "backup:", b -> true);
            BackupSpec backup = plan.backup();
            auditStore("main", backup.store());
            if (backup.secrets() != null && backup.secrets().store() != null) {
                auditStore("secrets", backup.secrets().store());
            }
            if (backup.replica() != null) {
                auditStore("replica", backup.replica().store());
            }
            if (backup.secrets() != null && backup.secrets().vault() != null) {
                auditVault(plan.name(), backup);
            }
        } catch (Steps.Failed e) {
            throw run.failed(RunFailure.VERIFICATION_FAILED, this::report,
                    "The access audit could not run: " + e.getMessage());
        }
        AccessAuditReport done = report("");
        List<AccessFinding> actionable = findings.stream().filter(f -> f.severity().actionable()).toList();
        AccessAuditReport audited = run.finish(done.clean() ? Outcome.RECOVERED : Outcome.FAILED, this::report,
                actionable.isEmpty()
                        ? "No finding above INFO (" + findings.size() + " checks)."
                        : actionable.size() + " finding(s) to act on: " + done.count(AuditSeverity.CRITICAL)
                                + " critical, " + done.count(AuditSeverity.HIGH) + " high, "
                                + done.count(AuditSeverity.MEDIUM) + " medium.");
        if (!actionable.isEmpty()) {
            // Like the weekly verification: a finding to act on is a FAILED execution carrying the report.
            throw RunFailure.of(RunFailure.VERIFICATION_FAILED, audited.summary(), audited);
        }
        return audited;
    }

    /** A store whose settings cannot be read is a finding itself: the audit cannot vouch for it. */
    private void auditStore(String role, BackupStore store) {
        try {
            findings.addAll(run.steps.run("audit-" + role, () -> run.audits.auditStore(new StoreAuditRequest(role,
                    store)), BackupAccessAuditWorkflowImpl::describe));
        } catch (Steps.Failed e) {
            findings.add(new AccessFinding(role + " " + store.uri(), "readable", AuditSeverity.HIGH,
                    "the store's access settings could not be read: " + e.getMessage(),
                    "Let the worker read the bucket's policy, ACL, public access block, versioning and object lock"
                            + " configuration (s3:GetBucket*, s3:GetBucketObjectLockConfiguration), then run"
                            + " roma-dr backups audit again."));
        }
    }

    private void auditVault(String plan, BackupSpec backup) {
        try {
            findings.addAll(run.steps.run("audit-vault-policies", () -> run.audits.auditVaultPolicies(
                    new VaultPolicyAuditRequest(plan, backup.secrets().vault())),
                    BackupAccessAuditWorkflowImpl::describe));
        } catch (Steps.Failed e) {
            findings.add(new AccessFinding("vault " + backup.secrets().vault().address(), "policies",
                    AuditSeverity.MEDIUM, "the ACL policies could not be read: " + e.getMessage(),
                    "Give the worker's Vault token list and read on sys/policies/acl, then run roma-dr backups"
                            + " audit again."));
        }
    }

    private static String describe(List<AccessFinding> found) {
        long actionable = found.stream().filter(f -> f.severity().actionable()).count();
        return found.size() + " check(s), " + actionable + " to act on";
    }

    /**
     * One notice per finding above INFO, where the weekly verification's go (verification-failed), under
     * {@code audit/<plan>/<target>/<check>}; a finding of the previous run of the schedule that is gone is resolved.
     */
    private void tellFindings() {
        List<String> now = new ArrayList<>();
        for (AccessFinding f : findings) {
            if (!f.severity().actionable()) {
                continue;
            }
            String key = key(f);
            now.add(key);
            run.notifier.send(NotifyEvent.VERIFICATION_FAILED, key, "roma-dr: backup access audit of plan "
                    + request.plan() + ": " + f.severity() + " " + f.check() + " on " + f.target(), f.evidence(),
                    f.action());
        }
        for (AccessFinding earlier : previousFindings()) {
            if (!now.contains(key(earlier))) {
                run.notifier.resolveEarlier(NotifyEvent.VERIFICATION_FAILED, key(earlier), "roma-dr: backup access"
                        + " audit of plan " + request.plan() + ": " + earlier.check() + " on " + earlier.target()
                        + " fixed", "no longer found", true);
            }
        }
    }

    private String key(AccessFinding f) {
        return "audit/" + request.plan() + "/" + f.target().replace(' ', '-') + "/" + f.check().replace(' ', '-');
    }

    /** The findings above INFO of the previous run of this schedule (its failure carries its report). */
    private static List<AccessFinding> previousFindings() {
        try {
            return Workflow.getPreviousRunFailure()
                    .filter(e -> e instanceof ApplicationFailure)
                    .map(e -> ((ApplicationFailure) e).getDetails().get(AccessAuditReport.class))
                    .map(r -> r.findings().stream().filter(f -> f.severity().actionable()).toList())
                    .orElse(List.of());
        } catch (RuntimeException unreadable) {
            return List.of(); // a failure without a report (it could not run): nothing known to be open
        }
    }

    @Override
    protected AccessAuditReport report(String summary) {
        return new AccessAuditReport(run.workflowId, request.plan(), request.requestedBy(), run.startedAt,
                run.reportTime(), findings, run.steps.snapshot(), summary);
    }
}
