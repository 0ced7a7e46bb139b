package io.romadr.cli;

import io.romadr.report.ScenarioReport;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "status",
        description = {
                "Follow a recovery: a progress line (elapsed, step, round, RTO budget left) until it ends, then a "
                        + "one-line result.",
                "On a terminal the line is rewritten in place about once a second; otherwise a new line is printed "
                        + "whenever the step, round or RTO state changes."})
final class StatusCommand extends TemporalCommand {
    @Parameters(index = "0", paramLabel = "WORKFLOW-ID", description = "The recovery's workflow id.")
    String workflowId;

    @Option(names = "--once", description = "Print one line and exit: 0 while running, else by outcome.")
    boolean once;

    @Override
    protected int run(TemporalOptions.Connection temporal) throws InterruptedException {
        Recoveries recoveries = new Recoveries(temporal, err());
        WorkflowExecutionStatus status = recoveries.status(workflowId);
        ScenarioReport report;
        if (Recoveries.running(status)) {
            if (once) {
                ScenarioReport p = recoveries.progress(workflowId);
                out().println(p == null
                        ? ProgressLine.noProgress(temporal.taskQueue())
                        : ProgressLine.format(p, System.currentTimeMillis()));
                return ExitCodes.RECOVERED;
            }
            report = recoveries.follow(workflowId, recoveries.type(workflowId),
                    new Watcher(out(), Watcher.stdoutIsTerminal(), temporal.taskQueue()), "recovery", "");
        } else {
            report = recoveries.report(workflowId);
        }
        out().println(ProgressLine.result(report));
        return ExitCodes.of(report);
    }
}
