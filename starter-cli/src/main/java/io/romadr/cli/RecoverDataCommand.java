package io.romadr.cli;

import io.romadr.scenario.datacorruption.DataCorruptionRecoveryWorkflow;
import io.romadr.scenario.datacorruption.DataRecoveryRequest;
import picocli.CommandLine.Command;

@Command(name = "data",
        description = {
                "Scenario 2, data corruption: start DataCorruptionRecoveryWorkflow for a plan (workflow id "
                        + "roma-dr-data-corruption-<plan>), or attach to the one running. It stops the producer, "
                        + "validates every artifact, quarantines the broken originals, restores them from the newest "
                        + "backup whose own files are valid (or runs the plan's regenerate commands), re-validates and "
                        + "restarts the producer.",
                "Prints the workflow id; with --wait, prints the report and exits 0 when every artifact is valid again "
                        + "within the RTO, 3 when that took longer than the RTO, 1 otherwise."})
final class RecoverDataCommand extends RecoverScenarioCommand {
    @Override
    String scenario() {
        return DataCorruptionRecoveryWorkflow.SCENARIO;
    }

    @Override
    Object request(String plan) {
        return new DataRecoveryRequest(plan, requestedBy(), options.reason, options.detectedAt());
    }

    @Override
    String what() {
        return "data recovery";
    }
}
