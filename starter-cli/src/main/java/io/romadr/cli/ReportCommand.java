package io.romadr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.report.RecoveryReport;
import io.romadr.report.ReportFormatter;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report",
        description = "Print the report of a closed recovery (the seed's drill report layout, or JSON); "
                + "the exit code follows its outcome.")
final class ReportCommand extends TemporalCommand {
    enum Format { md, json }

    @Parameters(index = "0", paramLabel = "WORKFLOW-ID", description = "The recovery's workflow id.")
    String workflowId;

    @Option(names = "--format", paramLabel = "md|json", defaultValue = "md",
            description = "md (markdown) or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        Recoveries recoveries = new Recoveries(temporal);
        WorkflowExecutionStatus status = recoveries.status(workflowId);
        if (Recoveries.running(status)) {
            throw new CliException(ExitCodes.RUNNING, "workflow " + workflowId
                    + " is still running; follow it with: roma-dr status " + workflowId);
        }
        String type = recoveries.type(workflowId);
        if (ScenarioReports.handles(type)) {
            ScenarioReports.Closed closed = ScenarioReports.closed(recoveries, workflowId, status, type);
            print(closed.report(), closed.markdown());
            return closed.exit();
        }
        RecoveryReport report = recoveries.report(workflowId, status);
        print(report, ReportFormatter.markdown(report));
        return ExitCodes.of(report);
    }

    private void print(Object report, String markdown) {
        out().print(format == Format.json ? json(report) + "\n" : markdown);
        out().flush();
    }

    static String json(Object report) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
