package io.romadr.cli;

import io.romadr.recovery.ServiceRecoveryRequest;
import io.romadr.recovery.ServiceRecoveryWorkflow;
import io.romadr.report.RecoveryReport;
import io.romadr.report.ReportFormatter;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
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
        Recoveries recoveries = new Recoveries(temporal);
        WorkflowExecutionStatus status = new Watcher(recoveries, out(), Watcher.stdoutIsTerminal(),
                temporal.taskQueue()).follow(id);
        RecoveryReport report = recoveries.report(id, status);
        out().println();
        out().print(ReportFormatter.markdown(report));
        out().flush();
        return ExitCodes.of(report);
    }
}
