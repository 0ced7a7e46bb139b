package io.romadr.cli;

import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryStarter;
import java.io.PrintWriter;

/**
 * A {@code recover} command's start through {@link RecoveryStarter}: prints the ID of the recovery that handles it
 * (the one started, or the running one it attached to) on stdout and what happened on stderr; a refusal (another
 * scenario of the plan is running) is {@link ExitCodes#CONFLICT} naming the running recovery.
 */
final class RecoveryStart {
    private RecoveryStart() {}

    static RecoveryStarter.Outcome start(TemporalOptions.Connection temporal, RecoverOptions options, String scenario,
            String plan, Object request, PrintWriter out, PrintWriter err) {
        TriggerNotice notice = new TriggerNotice("cli", requestedBy(), "", "requested", "", options.reason);
        RecoveryStarter.Outcome outcome = new RecoveryStarter(temporal.client(), temporal.taskQueue())
                .start(scenario, plan, request, notice, options.concurrentScenarios(plan));
        if (outcome.action() == RecoveryStarter.Action.REFUSED) {
            throw new CliException(ExitCodes.CONFLICT, "not started: " + outcome.describe()
                    + "; follow it with: roma-dr status " + outcome.workflowId());
        }
        out.println(outcome.workflowId());
        out.flush();
        err.println(outcome.action() == RecoveryStarter.Action.STARTED
                ? "started " + RecoveryStarter.type(scenario) + " for plan " + plan + " on task queue "
                        + temporal.taskQueue()
                : "attached to running recovery " + outcome.workflowId() + " (this start is recorded in its timeline)");
        err.flush();
        return outcome;
    }

    /** {@code cli:<login>}: who started it, in the report. */
    static String requestedBy() {
        return "cli:" + System.getProperty("user.name");
    }
}
