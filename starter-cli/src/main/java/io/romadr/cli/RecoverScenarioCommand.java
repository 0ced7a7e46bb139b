package io.romadr.cli;

import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryFollower;
import io.romadr.temporal.RecoveryStarter;
import picocli.CommandLine.Mixin;

/**
 * What every {@code recover <scenario>} command does, the same way for each scenario: starts the plan's recovery
 * through {@link RecoveryStarter} (or attaches to the one running), prints the ID of the recovery that handles it on
 * stdout and what happened on stderr, and with {@code --wait} follows it, prints its report and exits by it. A refusal
 * (another scenario of the plan is running) is {@link ExitCodes#CONFLICT} naming the running recovery.
 */
abstract class RecoverScenarioCommand extends TemporalCommand {
    @Mixin
    PlanOption planOption;

    @Mixin
    RecoverOptions options;

    /** The scenario, e.g. {@code site-loss}. */
    abstract String scenario();

    /** The scenario's request for {@code plan}. */
    abstract Object request(String plan);

    /** What a run without a report is called in the error, e.g. "site recovery". */
    abstract String what();

    /** A line for stderr after the start (how to approve, how to follow), or empty. */
    String hint(String workflowId) {
        return "";
    }

    /** What {@code --wait} shows while it follows the recovery; nothing by default. */
    RecoveryFollower.Listener listener(TemporalOptions.Connection temporal) {
        return report -> {
        };
    }

    /** Said after "was cancelled", e.g. what the workflow did about it. */
    String onCancel() {
        return "";
    }

    @Override
    protected final int run(TemporalOptions.Connection temporal) throws InterruptedException {
        String plan = planOption.plan;
        TriggerNotice notice = new TriggerNotice("cli", requestedBy(), "", "requested", "", options.reason);
        String taskQueue = options.taskQueue(temporal.taskQueue());
        RecoveryStarter.Outcome outcome = new RecoveryStarter(temporal.client(), taskQueue)
                .start(scenario(), plan, request(plan), notice, options.concurrentScenarios(plan));
        if (outcome.action() == RecoveryStarter.Action.REFUSED) {
            throw new CliException(ExitCodes.CONFLICT, "not started: " + outcome.describe()
                    + "; follow it with: roma-dr status " + outcome.workflowId());
        }
        String id = outcome.workflowId();
        out().println(id);
        out().flush();
        err().println(outcome.action() == RecoveryStarter.Action.STARTED
                ? "started " + RecoveryStarter.type(scenario()) + " for plan " + plan + " on task queue "
                        + taskQueue
                : "attached to running recovery " + id + " (this start is recorded in its timeline)");
        String hint = hint(id);
        if (!hint.isEmpty()) {
            err().println(hint);
        }
        err().flush();
        if (!options.waitForResult) {
            return ExitCodes.RECOVERED;
        }
        return new Recoveries(temporal, err()).await(id, RecoveryStarter.type(scenario()), listener(temporal), what(),
                onCancel(), out());
    }
}
