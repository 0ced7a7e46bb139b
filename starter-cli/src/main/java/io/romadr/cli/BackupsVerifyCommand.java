package io.romadr.cli;

import io.romadr.backup.BackupReportFormatter;
import io.romadr.backup.BackupVerificationWorkflow;
import io.romadr.backup.VerificationReport;
import io.romadr.backup.VerificationRequest;
import io.romadr.report.RunFailure;
import io.romadr.temporal.TaskQueues;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "verify",
        description = {
                "The weekly backup verification, now: for each backup kind of the plan, freshness of the newest backup, "
                        + "its integrity re-computed from the stored bytes, and for secrets a decrypt round trip with "
                        + "the worker's key. Prints one row per check (OK, STALE, CORRUPT, MISSING) with the evidence.",
                "Exits 0 when every row is OK, 1 otherwise."})
final class BackupsVerifyCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        String id = WorkflowRun.defaultId("backup-verification", planOption.plan, clock);
        BackupVerificationWorkflow workflow = temporal.client().newWorkflowStub(BackupVerificationWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id)
                        .setTaskQueue(TaskQueues.forWorkflow(temporal.taskQueue(), BackupVerificationWorkflow.TYPE))
                        .build());
        VerificationReport report;
        boolean failed = false;
        try {
            report = workflow.verify(new VerificationRequest(planOption.plan, requestedBy()));
        } catch (WorkflowFailedException e) {
            // A NOT OK row, or a verification that could not run, fails the workflow with the report in its details.
            report = RunFailure.reportOf(e, VerificationReport.class);
            if (report == null) {
                throw new CliException(ExitCodes.FAILED, "verification could not run: " + WorkflowRun.rootMessage(e),
                        e);
            }
            failed = true;
        }
        out().print(BackupReportFormatter.markdown(report));
        out().flush();
        return failed || !report.allOk() ? ExitCodes.FAILED : ExitCodes.RECOVERED;
    }
}
