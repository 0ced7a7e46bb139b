package io.romadr.drill;

import io.romadr.cli.ExitCodes;
import io.romadr.report.ReportFormatter;
import io.romadr.report.ScenarioReport;
import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryFollower;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.worker.host.EmbeddedHost;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every drill does the same way, as a picocli mixin: the embedded default's options, the in-process worker host
 * on the drill's own task queue, the recovery followed to its printed report and the summary with the drill's exit
 * code. (The Docker engine check and the clean-up, shared with the benchmarks: {@link DrillEnvironment}.)
 */
public final class EmbeddedDrill {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--embedded", required = true,
            description = "Run on an in-process Temporal server with a local sandbox (the embedded default).")
    boolean embedded;

    @Option(names = "--port", defaultValue = "0",
            description = "Port of the embedded Temporal server on 127.0.0.1 (default: a free port).")
    int port;

    @Option(names = "--web-ui", description = "Run on `temporal server start-dev` (the Temporal CLI, on PATH) with "
            + "its Web UI instead of the in-process server, and print the Web UI's URL: rehearse the Web UI path.")
    boolean webUi;

    @Option(names = "--keep", description = "Keep the sandbox and its plan afterwards (and with --web-ui the dev "
            + "server), and print where they are.")
    boolean keep;

    /** The drill's own task queue, named after it ({@code roma-dr-drill-total-loss}). */
    String queue() {
        return "roma-dr-drill-" + spec.name();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A bad option value, reported as picocli reports a bad command line. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * The same worker host production runs (managed worker, health checks, metrics), in-process; on the SDK's
     * in-process server, or with {@code --web-ui} on a dev server with its Web UI that stops with the host (unless
     * {@code --keep}).
     */
    EmbeddedHost startHost(Path work, Path plansDir) throws Exception {
        if (!webUi) {
            EmbeddedHost host = EmbeddedHost.start(work, plansDir, queue(), port);
            String address = host.temporal().address();
            out().println("Embedded Temporal (SDK test server) at " + address
                    + "  -- inspect with: temporal workflow list --address " + address);
            return host;
        }
        TemporalWebUi server = TemporalWebUi.start(work, port);
        out().println("Temporal dev server at " + server.address() + ", Web UI: " + server.webUiUrl()
                + "  (task queue " + queue() + ")");
        out().flush();
        AutoCloseable stop = keep
                ? () -> out().println("Kept: the Temporal dev server at " + server.address() + ", Web UI "
                        + server.webUiUrl() + " (pid " + server.pid() + "; stop it with: kill " + server.pid() + ")")
                : server;
        return EmbeddedHost.startOn(work, plansDir, queue(), server.address(), stop);
    }

    /** Whether to keep the sandbox and its plan ({@code --keep}). */
    boolean keep() {
        return keep;
    }

    /** With {@code --keep}: where the kept sandbox ({@code what}) and the plan are. */
    void kept(String what, Path plan) {
        out().println("Kept: " + what + "; the plan: " + plan);
        out().flush();
    }

    /**
     * Starts the drill's recovery the way every starter does ({@link RecoveryStarter}: ID
     * {@code roma-dr-<scenario>-<plan>}, attached to when one runs), prints which one handles it, follows it to its
     * report with the one client-side follower (progress about three times a second to {@code listener}) and prints
     * the report in Markdown.
     */
    <R extends ScenarioReport> R recover(EmbeddedHost host, String scenario, String plan, Object request,
            Class<R> reportType, RecoveryFollower.Listener listener) throws InterruptedException {
        WorkflowClient client = host.temporal().client();
        PrintWriter out = out();
        RecoveryStarter.Outcome outcome = new RecoveryStarter(client, queue()).start(scenario, plan, request,
                new TriggerNotice("drill", "drill", "", "requested", "", "drill"), false);
        if (outcome.action() == RecoveryStarter.Action.REFUSED) {
            throw new IllegalStateException("the drill's recovery was " + outcome.describe());
        }
        out.println("Recovery workflow " + outcome.workflowId() + " (" + outcome.describe() + ")");
        R report = reportType.cast(new RecoveryFollower(client, Duration.ofMillis(300), out)
                .follow(outcome.workflowId(), RecoveryStarter.type(scenario), listener));
        out.println();
        out.println(ReportFormatter.markdown(report));
        return report;
    }

    /** Options of a workflow the drill starts itself on its queue (a backup before the faults): a fresh ID. */
    WorkflowOptions options(String idPrefix) {
        return WorkflowOptions.newBuilder().setTaskQueue(queue()).setWorkflowId(idPrefix + "-" + UUID.randomUUID())
                .build();
    }

    /**
     * Prints the drill summary's lines; the exit code: {@link ExitCodes#RECOVERED} when every fault was recovered
     * within its RTO and every independent check holds, else {@link ExitCodes#FAILED}.
     */
    int summary(List<String> lines, boolean allOk) {
        PrintWriter out = out();
        out.println("== Drill summary ==");
        lines.forEach(out::println);
        out.flush();
        return allOk ? ExitCodes.RECOVERED : ExitCodes.FAILED;
    }
}
