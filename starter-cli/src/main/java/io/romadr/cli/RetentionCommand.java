package io.romadr.cli;

import io.romadr.backup.BackupReportFormatter;
import io.romadr.backup.RetentionReport;
import io.romadr.backup.RetentionRequest;
import io.romadr.backup.RetentionWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "retention",
        description = {
                "Apply the plan's retention to its backups now (seed: state hourly 7 d + daily 90 d, artifacts daily "
                        + "90 d, secrets last 10). Decides from the manifests; the newest backup that verifies is never "
                        + "deleted.",
                "With --wait, prints every backup kept or deleted and why."})
final class RetentionCommand extends WorkflowStartCommand {
    @Option(names = "--dry-run", description = "Decide and report, delete nothing.")
    boolean dryRun;

    @Override
    String idPrefix() {
        return "retention";
    }

    @Override
    WorkflowRun<?> workflow() {
        return new WorkflowRun<>(RetentionWorkflow.TYPE, RetentionReport.class, BackupReportFormatter::markdown);
    }

    @Override
    Object request(String plan) {
        return new RetentionRequest(plan, dryRun, requestedBy());
    }
}
