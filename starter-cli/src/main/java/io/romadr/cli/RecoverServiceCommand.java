package io.romadr.cli;

import io.romadr.scenario.servicefailure.ServiceRecoveryRequest;
import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflow;
import io.romadr.temporal.RecoveryFollower;
import picocli.CommandLine.Command;

@Command(name = "service",
        description = {
                "Scenario 1, complete service failure: start ServiceRecoveryWorkflow for a plan (workflow id "
                        + "roma-dr-service-failure-<plan>), or attach to the one running.",
                "Prints the workflow id on stdout (how to follow it on stderr); with --wait, follows it and prints "
                        + "its report."})
final class RecoverServiceCommand extends RecoverScenarioCommand {
    @Override
    String scenario() {
        return ServiceRecoveryWorkflow.SCENARIO;
    }

    @Override
    Object request(String plan) {
        return new ServiceRecoveryRequest(plan, options.reason, requestedBy(), options.detectedAt());
    }

    @Override
    String what() {
        return "recovery";
    }

    @Override
    String hint(String workflowId) {
        return options.waitForResult
                ? ""
                : "follow it with: roma-dr status " + workflowId + ", then: roma-dr report " + workflowId;
    }

    /** The progress line, as {@code status} shows it. */
    @Override
    RecoveryFollower.Listener listener(TemporalOptions.Connection temporal) {
        return new Watcher(out(), Watcher.stdoutIsTerminal(), options.taskQueue(temporal.taskQueue()));
    }
}
