package io.romadr.cli;

import io.romadr.report.RunFailure;
import io.romadr.scenario.drill.DrillCatalog;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReportFormatter;
import io.romadr.scenario.drill.DrillReportHtml;
import io.romadr.scenario.drill.DrillReportJson;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.scenario.drill.StoredDrillReport;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report",
        description = {"Print a drill's report in the seed's template: Markdown, JSON, or the self-contained HTML "
                + "page with its SVG timeline (the same renderings the drill stores in the plan's backup store).",
                "Without DRILL-ID: the newest drill report stored for --plan. The report is read from the drill's "
                        + "workflow (its result; its progress while it runs); for a drill Temporal no longer "
                        + "keeps, where its stored report is.",
                "Exits 0 for a drill that succeeded, 1 for one that did not, 4 when there is no such drill, 5 while "
                        + "it runs."})
final class DrillsReportCommand extends TemporalCommand {
    enum Format {
        md, json, html
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "DRILL-ID", description = "The drill's workflow id.")
    String drillId;

    @Option(names = "--plan", paramLabel = "NAME",
            description = "Without DRILL-ID: the plan whose newest stored drill report to print.")
    String plan;

    @Option(names = "--format", paramLabel = "md|json|html", defaultValue = "md",
            description = "md (markdown), json or html (default: ${DEFAULT-VALUE}).")
    Format format;

    Clock clock = Clock.systemUTC();

    @Override
    protected int run(TemporalOptions.Connection temporal) {
        StoredDrillReport stored = null;
        if (drillId == null) {
            if (plan == null) {
                throw new CliException(ExitCodes.USAGE, "name a drill (DRILL-ID) or a plan (--plan NAME)", null);
            }
            DrillCatalog catalog = DrillsListCommand.storedReports(temporal, PlanNames.check(spec, plan), clock);
            stored = catalog.reports().stream().max(Comparator.comparingLong(StoredDrillReport::startedAt))
                    .orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no drill report stored for plan "
                            + plan + (catalog.problem().isEmpty() ? "" : " (" + catalog.problem() + ")"), null));
            drillId = stored.drillId();
        }
        WorkflowExecutionStatus status;
        try {
            status = new Recoveries(temporal, err()).status(drillId);
        } catch (CliException gone) {
            if (stored == null || gone.exitCode() != ExitCodes.NOT_FOUND) {
                throw gone;
            }
            throw new CliException(ExitCodes.NOT_FOUND, "Temporal no longer keeps drill " + drillId
                    + "; its stored report: " + stored.location(), gone);
        }
        boolean running = Recoveries.running(status);
        DrillReport report = running ? progress(temporal) : result(temporal);
        out().print(switch (format) {
            case md -> DrillReportFormatter.markdown(report);
            case json -> DrillReportJson.toJson(report) + "\n";
            case html -> DrillReportHtml.render(report);
        });
        out().flush();
        return running ? ExitCodes.RUNNING : Boolean.TRUE.equals(report.success()) ? 0 : ExitCodes.FAILED;
    }

    private WorkflowStub stub(TemporalOptions.Connection temporal) {
        return temporal.client().newUntypedWorkflowStub(drillId, Optional.empty(), Optional.of(DrillWorkflow.TYPE));
    }

    private DrillReport progress(TemporalOptions.Connection temporal) {
        return stub(temporal).query("progress", DrillReport.class);
    }

    /** A finished drill's report: its result, or what its failure carries. */
    private DrillReport result(TemporalOptions.Connection temporal) {
        try {
            return stub(temporal).getResult(10, TimeUnit.SECONDS, DrillReport.class);
        } catch (WorkflowFailedException e) {
            DrillReport carried = RunFailure.reportOf(e, DrillReport.class);
            if (carried == null) {
                throw new CliException(ExitCodes.FAILED, "drill " + drillId + " ended without a report: "
                        + WorkflowRun.rootMessage(e), e);
            }
            return carried;
        } catch (TimeoutException e) {
            throw new CliException(ExitCodes.ERROR, "the result of drill " + drillId + " was not read within 10s",
                    e);
        }
    }
}
