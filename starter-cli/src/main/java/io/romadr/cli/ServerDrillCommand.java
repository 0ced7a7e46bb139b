package io.romadr.cli;

import io.romadr.plan.Durations;
import io.romadr.scenario.drill.DrillFaults;
import io.romadr.scenario.drill.DrillReport;
import io.romadr.scenario.drill.DrillReportFormatter;
import io.romadr.scenario.drill.DrillRequest;
import io.romadr.scenario.drill.DrillWorkflow;
import io.romadr.temporal.RecoveryFollower;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code roma-dr drill <scenario> --plan P}: starts a {@link DrillWorkflow} on the team's Temporal server and follows
 * it live (each timeline row once, the sign-off hint once), then prints the drill report and exits by its result.
 * {@code --embedded} runs from the drills jar, which the {@code ./roma-dr} launcher picks for it.
 */
@Command(name = "drill",
        description = {
                "Run a drill on the team's Temporal server: start a DrillWorkflow for a plan (a staging plan) and "
                        + "follow it: each timeline row as it happens, how to sign off while it waits for the "
                        + "sign-offs, then the drill report (Markdown). Exits 0 when the drill passed, 1 when it "
                        + "failed.",
                "The drill runs on the server: Ctrl-C (or --detach) stops only the following, not the drill. Notes, "
                        + "action items and sign-offs: roma-dr drills note|action|sign-off DRILL-ID.",
                "With --embedded (run by the drills jar through the ./roma-dr launcher): rehearse the scenario on "
                        + "an in-process Temporal and a sandbox instead; see: roma-dr drill <scenario> --embedded "
                        + "--help."})
final class ServerDrillCommand extends TemporalCommand {
    /** The embedded drill's name for Scenario 3, accepted here too. */
    static final String TOTAL_LOSS = "total-loss";
    static final String SITE_LOSS = "site-loss";

    // The options' order: the help lists them after the connection's, in this order.
    @Parameters(index = "0", paramLabel = "SCENARIO",
            description = "service-failure, data-corruption, site-loss (or total-loss) or git-loss.")
    String scenario;

    @Option(names = "--plan", order = 0, paramLabel = "NAME",
            description = "The plan drilled, e.g. roma-staging (required).")
    void setPlan(String name) {
        plan = PlanNames.check(spec, name);
    }

    String plan;

    @Option(names = "--fault", order = 1, paramLabel = "FAULT", defaultValue = "",
            description = "What to break (default: the scenario's first): service-failure kill|stop|remove"
                    + "[:service]; data-corruption truncate|widespread; site-loss remove-site; git-loss "
                    + "force-push|delete.")
    String fault;

    @Option(names = "--objective", order = 2, paramLabel = "TEXT", defaultValue = "",
            description = "What is tested (default: worded from the scenario and its RTO).")
    String objective;

    @Option(names = "--coordinator", order = 3, paramLabel = "NAME", defaultValue = "",
            description = "Who runs the drill.")
    String coordinator;

    @Option(names = "--operator", order = 4, paramLabel = "NAME", defaultValue = "",
            description = "Who performs the recovery.")
    String operator;

    @Option(names = "--observer", order = 5, paramLabel = "NAME", defaultValue = "",
            description = "Who watches and times it.")
    String observer;

    @Option(names = "--manager", order = 6, paramLabel = "NAME", defaultValue = "", description = "Who signs off last.")
    String manager;

    @Option(names = "--rto", order = 7, paramLabel = "DURATION",
            description = "The success criterion, e.g. 15m (default: the plan's RTO for the scenario).")
    String rto;

    @Option(names = "--sign-off-timeout", order = 8, paramLabel = "DURATION",
            description = "How long the drill waits for the sign-offs after the recovery, e.g. 2h (default: 24h); "
                    + "a drill not signed off in time is reported as such.")
    String signOffTimeout;

    @Option(names = "--id", order = 9, paramLabel = "ID",
            description = "The drill's workflow id (default: drill-<scenario>-<plan>-<yyyyMMdd-HHmmss>, UTC).")
    String id;

    @Option(names = "--detach", order = 10, description = "Start the drill, print its id and how to follow it, exit 0.")
    boolean detach;

    @Option(names = "--alerting", order = 11,
            description = "Scenario 1: after the fault, wait for the recovery the real alerting path starts (alert, "
                    + "Alertmanager, the worker host's webhook) instead of starting it; the delays are measured "
                    + "(docs/drill-alerting.md). The drill fails when no alert starts a recovery in time.")
    boolean alerting;

    @Option(names = "--alert-timeout", order = 12, paramLabel = "DURATION",
            description = "With --alerting: how long to wait for the alert's recovery (default: 10m).")
    String alertTimeout;

    @Option(names = "--embedded", order = 13,
            description = "Rehearse on an in-process Temporal and a sandbox: run by the drills "
                    + "jar (the ./roma-dr launcher picks it).")
    boolean embedded;

    /** The embedded drills' own options, so {@code --embedded} here says where it runs instead of "unknown option". */
    @Unmatched
    List<String> unmatched = new ArrayList<>();

    Clock clock = Clock.systemUTC();

    private DrillRequest request;

    @Override
    protected void check() {
        if (embedded) {
            String jar = WorkerJarCommand.JARS.get("drill");
            throw new CliException(ExitCodes.USAGE, "'drill --embedded' runs from " + jar + ": use the ./roma-dr "
                    + "launcher (roma-dr drill " + scenario + " --embedded ...), or java -jar " + jar + " drill "
                    + scenario + " --embedded ...");
        }
        if (!unmatched.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "unknown option(s) " + unmatched + " (the embedded drill's "
                    + "options need --embedded)");
        }
        request = request(scenarioId());
    }

    /** The scenario's id; {@code total-loss} is site-loss. */
    String scenarioId() {
        String known = TOTAL_LOSS.equals(scenario) ? SITE_LOSS : scenario;
        if (DrillFaults.faults(known).isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "unknown scenario \"" + scenario + "\" (known: "
                    + new TreeSet<>(DrillFaults.FAULTS.keySet()) + ", and " + TOTAL_LOSS + " for " + SITE_LOSS + ")");
        }
        return known;
    }

    /** The request, checked: the plan given, the fault one of the scenario's, the durations readable. */
    private DrillRequest request(String scenarioId) {
        if (plan == null) {
            throw new CliException(ExitCodes.USAGE, "missing --plan NAME: the plan drilled");
        }
        String action = fault.strip();
        int colon = action.indexOf(':');
        if (colon >= 0) {
            action = action.substring(0, colon);
        }
        List<String> faults = DrillFaults.faults(scenarioId);
        if (!action.isEmpty() && !faults.contains(action)) {
            throw new CliException(ExitCodes.USAGE, "unknown fault \"" + fault + "\" for " + scenarioId + " (known: "
                    + String.join(", ", faults) + ")");
        }
        if (alertTimeout != null && !alerting) {
            throw new CliException(ExitCodes.USAGE, "--alert-timeout needs --alerting");
        }
        if (alerting && !scenarioId.equals("service-failure")) {
            throw new CliException(ExitCodes.USAGE, "--alerting drills Scenario 1 (service-failure) only");
        }
        return new DrillRequest(plan, scenarioId, fault.strip(), objective, coordinator, operator, observer, manager,
                duration("--rto", rto), duration("--sign-off-timeout", signOffTimeout), requestedBy(),
                alerting ? Boolean.TRUE : null, duration("--alert-timeout", alertTimeout));
    }

    private static Duration duration(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "invalid value for " + option + ": " + e.getMessage());
        }
    }

    @Override
    protected int run(TemporalOptions.Connection temporal) throws InterruptedException {
        String workflowId = id != null ? id : WorkflowRun.defaultId("drill-" + request.scenario(), plan, clock);
        try {
            temporal.client().newUntypedWorkflowStub(DrillWorkflow.TYPE, WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId).setTaskQueue(temporal.taskQueue()).build()).start(request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw new CliException(ExitCodes.ERROR, "workflow " + workflowId + " is already running", e);
        }
        out().println(workflowId);
        out().flush();
        err().println("started " + DrillWorkflow.TYPE + " (" + request.scenario() + " of plan " + plan
                + ") on task queue " + temporal.taskQueue());
        if (detach) {
            err().println("it runs on the server: see it in the Temporal Web UI or: temporal workflow describe -w "
                    + workflowId);
            err().println(DrillTimeline.howToAnswer(workflowId));
            err().flush();
            return ExitCodes.RECOVERED;
        }
        err().println("following it (Ctrl-C stops the following, not the drill)");
        err().flush();
        DrillReport report;
        try {
            report = new RecoveryFollower(temporal.client(), DrillTimeline.INTERVAL, err()).follow(workflowId,
                    DrillReport.class, DrillReport.class, new DrillTimeline(out(), err(), workflowId,
                            temporal.taskQueue()));
        } catch (RecoveryFollower.NoReport e) {
            throw new CliException(ExitCodes.FAILED, "drill " + e.getMessage() + "; counted as a failed drill", e);
        }
        out().println();
        out().print(DrillReportFormatter.markdown(report));
        out().flush();
        return Boolean.TRUE.equals(report.success()) ? ExitCodes.RECOVERED : ExitCodes.FAILED;
    }
}
