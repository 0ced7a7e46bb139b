package io.romadr.worker.drill;

import io.romadr.report.RunFailure;
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
 * a failed run's failure details. Shared by the Scenario 2, 3 and 4 drills.
 */
final class DrillFollow {
    private DrillFollow() {
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
