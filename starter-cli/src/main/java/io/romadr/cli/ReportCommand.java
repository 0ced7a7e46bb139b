package io.romadr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.report.ReportFormatter;
import io.romadr.report.ScenarioReport;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report",
        description = "Print the report of a closed recovery (the seed's drill report layout, or JSON); "
                + "the exit code follows its outcome.")
final class ReportCommand extends TemporalCommand {
    enum Format {
        md, json
    }

    @Parameters(index = "0", paramLabel = "WORKFLOW-ID", description = "The recovery's workflow id.")
    String workflowId;

    @Option(names = "--format", paramLabel = "md|json", defaultValue = "md",
            description = "md (markdown) or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        Recoveries recoveries = new Recoveries(temporal, err());
        WorkflowExecutionStatus status = recoveries.status(workflowId);
        if (Recoveries.running(status)) {
            throw new CliException(ExitCodes.RUNNING, "workflow " + workflowId
                    + " is still running; follow it with: roma-dr status " + workflowId);
        }
        ScenarioReport report = recoveries.report(workflowId);
        out().print(format == Format.json ? json(report) + "\n" : ReportFormatter.markdown(report));
        out().flush();
        return ExitCodes.of(report);
    }

    static String json(Object report) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
