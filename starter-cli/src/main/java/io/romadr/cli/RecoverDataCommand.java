package io.romadr.cli;

import io.romadr.corruption.DataCorruptionRecoveryWorkflow;
import io.romadr.corruption.DataRecoveryReport;
import io.romadr.corruption.DataRecoveryReportFormatter;
import io.romadr.corruption.DataRecoveryRequest;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "data",
        description = {
            "Scenario 2, data corruption: start DataCorruptionRecoveryWorkflow for a plan. It stops the producer, "
                    + "validates every artifact, quarantines the broken originals, restores them from the newest "
                    + "backup whose own files are valid (or runs the plan's regenerate commands), re-validates and "
                    + "restarts the producer.",
            "Prints the workflow id; with --wait, prints the report and exits 0 when every artifact is valid again, "
                    + "1 otherwise."})
final class RecoverDataCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Mixin
    StartOptions start;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why; shown in the report.")
    String reason;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        String id = start.idOr(WorkflowRun.defaultId(DataCorruptionRecoveryWorkflow.SCENARIO, planOption.plan, clock));
        return new WorkflowRun<>(DataCorruptionRecoveryWorkflow.TYPE, DataRecoveryReport.class,
                DataRecoveryReportFormatter::markdown).run(temporal, id, new DataRecoveryRequest(planOption.plan,
                        "cli:" + System.getProperty("user.name"), reason), start.waitForResult, out(), err());
    }
}
