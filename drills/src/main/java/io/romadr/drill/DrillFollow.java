package io.romadr.drill;

import io.romadr.report.RunFailure;
import io.romadr.report.TriggerNotice;
import io.romadr.temporal.RecoveryStarter;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Follows a drill's recovery workflow to its report: the progress query about three times a second, each answer
 * handed to {@code onProgress} (which prints the steps that finished, approves, ...), then the final report, also from
 * a failed run's failure details. Shared by the Scenario 2, 3 and 4 drills;
 * {@link #start} by all four.
 */
final class DrillFollow {
    private DrillFollow() {
    }

    /**
     * Starts the drill's recovery the way every starter does ({@link RecoveryStarter}: ID
     * {@code roma-dr-<scenario>-<plan>}, attached to when one runs), prints which one handles it and returns its ID.
     */
    static String start(WorkflowClient client, String taskQueue, String scenario, String plan, Object request,
            PrintWriter out) {
        RecoveryStarter.Outcome outcome = new RecoveryStarter(client, taskQueue).start(scenario, plan, request,
                new TriggerNotice("drill", "drill", "", "requested", "", "drill"), false);
        if (outcome.action() == RecoveryStarter.Action.REFUSED) {
            throw new IllegalStateException("the drill's recovery was " + outcome.describe());
        }
        out.println("Recovery workflow " + outcome.workflowId() + " (" + outcome.describe() + ")");
        return outcome.workflowId();
    }

    static <R> R report(WorkflowStub stub, Class<R> type, Supplier<R> progress, Consumer<R> onProgress,
            PrintWriter out) throws Exception {
        CompletableFuture<R> result = stub.getResultAsync(type);
        while (true) {
            R now = progress.get();
            if (now != null) {
                onProgress.accept(now);
            }
            out.flush();
            try {
                R done = result.get(300, TimeUnit.MILLISECONDS);
                onProgress.accept(done);
                return done;
            } catch (TimeoutException stillRunning) {
                // refresh the step lines about three times a second
            } catch (ExecutionException e) {
                R failed = e.getCause() instanceof WorkflowFailedException f ? RunFailure.reportOf(f, type) : null;
                if (failed != null) {
                    onProgress.accept(failed);
                    return failed;
                }
                throw e;
            }
        }
    }
}
