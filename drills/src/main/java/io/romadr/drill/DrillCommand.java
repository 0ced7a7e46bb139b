package io.romadr.drill;

import io.romadr.report.ScenarioReport;
import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryFollower;
import io.romadr.temporal.RecoveryStarter;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code roma-dr drill <scenario>}: rehearse a scenario end to end. */
@Command(name = "drill", mixinStandardHelpOptions = true,
        description = "Run a recovery drill: inject a fault into a sandbox service and recover it.",
        subcommands = {ServiceFailureDrill.class, GitLossDrill.class, DataCorruptionDrill.class,
            TotalLossDrill.class})
public final class DrillCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "name a scenario: service-failure, git-loss, data-corruption or total-loss");
    }

    /**
     * Starts a drill's recovery the way every starter does ({@link RecoveryStarter}: ID
     * {@code roma-dr-<scenario>-<plan>}, attached to when one runs), prints which one handles it and follows it to its
     * report with the one client-side follower (progress about three times a second to {@code listener}).
     */
    static <R extends ScenarioReport> R recover(WorkflowClient client, String taskQueue, String scenario, String plan,
            Object request, Class<R> reportType, RecoveryFollower.Listener listener, PrintWriter out)
            throws InterruptedException {
        RecoveryStarter.Outcome outcome = new RecoveryStarter(client, taskQueue).start(scenario, plan, request,
                new TriggerNotice("drill", "drill", "", "requested", "", "drill"), false);
        if (outcome.action() == RecoveryStarter.Action.REFUSED) {
            throw new IllegalStateException("the drill's recovery was " + outcome.describe());
        }
        out.println("Recovery workflow " + outcome.workflowId() + " (" + outcome.describe() + ")");
        return reportType.cast(new RecoveryFollower(client, Duration.ofMillis(300), out)
                .follow(outcome.workflowId(), RecoveryStarter.type(scenario), listener));
    }
}
