package io.romadr.cli;

import io.romadr.corruption.DataCorruptionRecoveryWorkflow;
import io.romadr.corruption.DataRecoveryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "data",
        description = {
            "Scenario 2, data corruption: start DataCorruptionRecoveryWorkflow for a plan (workflow id "
                    + "roma-dr-data-corruption-<plan>), or attach to the one running. It stops the producer, "
                    + "validates every artifact, quarantines the broken originals, restores them from the newest "
                    + "backup whose own files are valid (or runs the plan's regenerate commands), re-validates and "
                    + "restarts the producer.",
            "Prints the workflow id; with --wait, prints the report and exits 0 when every artifact is valid again "
                    + "within the RTO, 3 when that took longer than the RTO, 1 otherwise."})
final class RecoverDataCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Mixin
    RecoverOptions options;

    @Override
    protected int run(TemporalOptions.Connection temporal) throws InterruptedException {
        String id = RecoveryStart.start(temporal, options, DataCorruptionRecoveryWorkflow.SCENARIO, planOption.plan,
                new DataRecoveryRequest(planOption.plan, RecoveryStart.requestedBy(), options.reason), out(), err())
                .workflowId();
        if (!options.waitForResult) {
            return ExitCodes.RECOVERED;
        }
        return new Recoveries(temporal, err()).await(id, DataCorruptionRecoveryWorkflow.TYPE, r -> { },
                "data recovery", "", out());
    }
}
