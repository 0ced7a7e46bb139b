package io.romadr.cli;

import io.romadr.backup.AccessAuditReport;
import io.romadr.backup.AuditRequest;
import io.romadr.backup.BackupAccessAuditWorkflow;
import io.romadr.backup.BackupReportFormatter;
import io.romadr.report.RunFailure;
import io.romadr.temporal.TaskQueues;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "audit",
        description = {
                "The quarterly backup access audit, now: for each backup store of the plan (main, secrets, replica) "
                        + "its bucket policy, ACL, public access block, versioning and object lock (a file: store: "
                        + "its directory permissions), and the Vault policies that can read, delete or list the "
                        + "backed-up paths. Prints one row per finding (CRITICAL, HIGH, MEDIUM, INFO) with the "
                        + "evidence and what to do.",
                "Exits 0 when no finding is above INFO, 1 otherwise."})
final class BackupsAuditCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        String id = WorkflowRun.defaultId("backup-access-audit", planOption.plan, clock);
        BackupAccessAuditWorkflow workflow = temporal.client().newWorkflowStub(BackupAccessAuditWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id)
                        .setTaskQueue(TaskQueues.forWorkflow(temporal.taskQueue(), BackupAccessAuditWorkflow.TYPE))
                        .build());
        AccessAuditReport report;
        boolean failed = false;
        try {
            report = workflow.audit(new AuditRequest(planOption.plan, requestedBy()));
        } catch (WorkflowFailedException e) {
            // A finding to act on, or an audit that could not run, fails the workflow with the report in its details.
            report = RunFailure.reportOf(e, AccessAuditReport.class);
            if (report == null) {
                throw new CliException(ExitCodes.FAILED, "the access audit could not run: "
                        + WorkflowRun.rootMessage(e), e);
            }
            failed = true;
        }
        out().print(BackupReportFormatter.markdown(report));
        out().flush();
        return failed || !report.clean() ? ExitCodes.FAILED : ExitCodes.RECOVERED;
    }
}
