package io.romadr.cli;

import io.romadr.recovery.ServiceRecoveryRequest;
import io.romadr.recovery.ServiceRecoveryWorkflow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "service",
        description = {
            "Scenario 1, complete service failure: start ServiceRecoveryWorkflow for a plan (workflow id "
                    + "roma-dr-service-failure-<plan>), or attach to the one running.",
            "Prints the workflow id on stdout (how to follow it on stderr); with --wait, follows it and prints "
                    + "its report."})
final class RecoverServiceCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Mixin
    RecoverOptions options;

    @Override
    protected int run(TemporalOptions.Connection temporal) throws InterruptedException {
        String id = RecoveryStart.start(temporal, options, ServiceRecoveryWorkflow.SCENARIO, planOption.plan,
                new ServiceRecoveryRequest(planOption.plan, options.reason, RecoveryStart.requestedBy()), out(),
                err()).workflowId();
        if (!options.waitForResult) {
            err().println("follow it with: roma-dr status " + id + ", then: roma-dr report " + id);
            err().flush();
            return ExitCodes.RECOVERED;
        }
        return new Recoveries(temporal, err()).await(id, ServiceRecoveryWorkflow.TYPE,
                new Watcher(out(), Watcher.stdoutIsTerminal(), temporal.taskQueue()), "recovery", "", out());
    }
}
