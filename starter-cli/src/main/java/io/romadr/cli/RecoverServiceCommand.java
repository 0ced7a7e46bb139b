package io.romadr.cli;

import io.romadr.recovery.ServiceRecoveryRequest;
import io.romadr.recovery.ServiceRecoveryWorkflow;
import io.romadr.report.RecoveryReport;
import io.romadr.report.ReportFormatter;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "service",
        description = {
            "Scenario 1, complete service failure: start ServiceRecoveryWorkflow for a plan.",
            "Prints the workflow id on stdout (how to follow it on stderr); with --wait, follows it and prints "
                    + "its report."})
final class RecoverServiceCommand extends TemporalCommand {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    String plan;

    @Option(names = "--plan", required = true, paramLabel = "NAME",
            description = "The plan's name (a file in the worker's plans directory), e.g. roma.")
    void setPlan(String name) {
        if (!io.romadr.plan.RecoveryPlan.isValidName(name)) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--plan': \"" + name
                    + "\" (lower-case letters, digits, '.', '_' or '-', at most 63)");
        }
        plan = name;
    }

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "",
            description = "Why the recovery was started; shown in the report.")
    String reason;

    @Option(names = "--workflow-id", paramLabel = "ID",
            description = "Workflow id (default: service-failure-<plan>-<yyyyMMdd-HHmmss>, UTC).")
    String workflowId;

    @Option(names = "--wait", description = "Follow the recovery, print its report and exit by its outcome.")
    boolean waitForResult;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) throws InterruptedException {
        String id = workflowId != null ? workflowId : defaultWorkflowId(plan, clock);
        ServiceRecoveryWorkflow workflow = temporal.client().newWorkflowStub(ServiceRecoveryWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(temporal.taskQueue()).build());
        ServiceRecoveryRequest request =
                new ServiceRecoveryRequest(plan, reason, "cli:" + System.getProperty("user.name"));
        try {
            WorkflowClient.start(workflow::recover, request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw new CliException(ExitCodes.ERROR, "workflow " + id
                    + " is already running; follow it with: roma-dr status " + id, e);
        }
        out().println(id);
        out().flush();
        err().println("started " + ServiceRecoveryWorkflow.TYPE + " for plan " + plan + " on task queue "
                + temporal.taskQueue() + (waitForResult ? "" : "; follow it with: roma-dr status " + id
                + ", then: roma-dr report " + id));
        err().flush();
        if (!waitForResult) {
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

    static String defaultWorkflowId(String plan, Clock clock) {
        return ServiceRecoveryWorkflow.SCENARIO + "-" + plan + "-" + STAMP.format(clock.instant());
    }
}
