package io.romadr.cli;

import io.romadr.approval.PendingApproval;
import io.romadr.report.RunFailure;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code --wait} for a scenario workflow whose report has its own type (Scenarios 3 and 4): waits for the result,
 * polling the progress query twice a second; says once per pending approval what is asked and how to answer; hands
 * every report seen (progress and the final one) to {@code onReport}; a failed run's report comes from its failure.
 */
final class ScenarioFollow<R> {
    private final String what;
    private final String id;
    private final Class<R> type;
    private final PrintWriter err;
    private final String onCancel;

    /** {@code onCancel} is said after "was cancelled", e.g. what the workflow did about it. */
    ScenarioFollow(String what, String id, Class<R> type, PrintWriter err, String onCancel) {
        this.what = what;
        this.id = id;
        this.type = type;
        this.err = err;
        this.onCancel = onCancel;
    }

    R follow(WorkflowStub stub, Supplier<R> progressQuery, Function<R, PendingApproval> pending,
            Consumer<R> onReport) throws InterruptedException {
        CompletableFuture<R> result = stub.getResultAsync(type);
        String announced = null;
        while (true) {
            try {
                R done = result.get(500, TimeUnit.MILLISECONDS);
                onReport.accept(done);
                return done;
            } catch (TimeoutException stillRunning) {
                R progress = progress(progressQuery);
                if (progress == null) {
                    continue;
                }
                onReport.accept(progress);
                PendingApproval asked = pending.apply(progress);
                if (asked != null && !asked.question().equals(announced)) {
                    announced = asked.question();
                    err.println("waiting for approval: " + announced);
                    err.println("  approve: roma-dr approve " + id + "    reject: roma-dr approve " + id
                            + " --reject --reason '...'");
                    err.flush();
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof WorkflowFailedException failed) {
                    R report = RunFailure.reportOf(failed, type);
                    if (report != null) {
                        onReport.accept(report);
                        return report;
                    }
                    if (failed.getCause() instanceof CanceledFailure) {
                        throw new CliException(ExitCodes.FAILED, what + " " + id + " was cancelled" + onCancel
                                + "; see it in the Temporal Web UI", e);
                    }
                }
                throw new CliException(ExitCodes.FAILED, what + " " + id + " failed: " + WorkflowRun.rootMessage(e),
                        e);
            }
        }
    }

    /** The progress query's answer, or null when no worker answers it right now. */
    private static <R> R progress(Supplier<R> query) {
        try {
            return query.get();
        } catch (WorkflowException e) {
            return null;
        }
    }
}
