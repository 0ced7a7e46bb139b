package io.romadr.temporal;

import io.romadr.report.PendingApproval;
import io.romadr.report.RunFailure;
import io.romadr.report.ScenarioReport;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Client side, for the CLI and the drills: follows any scenario workflow (or a drill) to its report. Polls the
 * {@value RomaWorkflows#PROGRESS_QUERY} query every {@code interval} while waiting for the result, says once per
 * pending approval what is asked and the exact {@code roma-dr approve} command, hands every answer and the final
 * report to a {@link Listener}; a failed run's report comes from its failure ({@link RunFailure#reportOf}). Which
 * report type a workflow type returns comes from {@link RomaWorkflows#REPORTS}, so no client switches on the type.
 */
public final class RecoveryFollower {
    private final WorkflowClient client;
    private final Duration interval;
    private final PrintWriter notices;

    /** Receives what the follower sees of a workflow whose report (and progress) is an {@code R}. */
    @FunctionalInterface
    public interface Watch<R> {
        /** Each answer of the progress query. */
        void onProgress(R progress);

        /** A poll that no worker answered (none is polling the task queue, or the query failed). */
        default void onNoProgress() {
        }

        /** The run's report: its result, or the report its failure carries. */
        default void onReport(R report) {
            onProgress(report);
        }
    }

    /** Receives what the follower sees of a scenario workflow. */
    @FunctionalInterface
    public interface Listener extends Watch<ScenarioReport> {
    }

    /** A run that closed without a report: terminated, cancelled, timed out, or failed before it had one. */
    public static final class NoReport extends RuntimeException {
        private final String how;

        NoReport(String workflowId, String how, String why, Throwable cause) {
            super("workflow " + workflowId + " " + how + " without a report" + (why == null ? "" : ": " + why), cause);
            this.how = how;
        }

        /** {@code was terminated}, {@code was cancelled}, {@code timed out} or {@code failed}. */
        public String how() {
            return how;
        }

        public boolean cancelled() {
            return how.equals("was cancelled");
        }
    }

    /** {@code notices} receives the approval announcements. */
    public RecoveryFollower(WorkflowClient client, Duration interval, PrintWriter notices) {
        this.client = client;
        this.interval = interval;
        this.notices = notices;
    }

    /** Waits until the run of {@code workflowId} (a workflow of {@code workflowType}) closes; returns its report. */
    public ScenarioReport follow(String workflowId, String workflowType, Listener listener)
            throws InterruptedException {
        return follow(workflowId, RomaWorkflows.report(workflowType, false), RomaWorkflows.report(workflowType, true),
                new Watch<ScenarioReport>() {
                    private String announced;

                    @Override
                    public void onProgress(ScenarioReport progress) {
                        listener.onProgress(progress);
                        announced = announce(workflowId, progress.pendingApproval(), announced);
                    }

                    @Override
                    public void onNoProgress() {
                        listener.onNoProgress();
                    }

                    @Override
                    public void onReport(ScenarioReport report) {
                        listener.onReport(report);
                    }
                });
    }

    /**
     * Any workflow with a {@value RomaWorkflows#PROGRESS_QUERY} query (a scenario's, a drill's): waits until the run
     * of {@code workflowId} closes, hands every answer of the query ({@code progressType}) and the report
     * ({@code reportType}, also the one a failed run carries) to {@code watch}; {@link NoReport} when it has none.
     */
    public <R> R follow(String workflowId, Class<? extends R> reportType, Class<? extends R> progressType,
            Watch<R> watch) throws InterruptedException {
        WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
        CompletableFuture<? extends R> result = stub.getResultAsync(reportType);
        try {
            while (true) {
                R progress = query(workflowId, progressType);
                if (progress == null) {
                    watch.onNoProgress();
                } else {
                    watch.onProgress(progress);
                }
                try {
                    R done = result.get(interval.toMillis(), TimeUnit.MILLISECONDS);
                    watch.onReport(done);
                    return done;
                } catch (TimeoutException stillRunning) {
                    // poll the progress again
                } catch (ExecutionException e) {
                    R report = reportOfFailure(workflowId, e.getCause(), reportType);
                    watch.onReport(report);
                    return report;
                }
            }
        } finally {
            result.cancel(true);
        }
    }

    /** The report of a closed run: its result, or the report its failure carries; {@link NoReport} otherwise. */
    public ScenarioReport report(String workflowId, String workflowType) {
        Class<? extends ScenarioReport> reportType = RomaWorkflows.report(workflowType, false);
        try {
            return client.newUntypedWorkflowStub(workflowId).getResult(reportType);
        } catch (WorkflowException e) {
            return reportOfFailure(workflowId, e, reportType);
        }
    }

    /** The progress query's answer, or null when no worker answers it right now. */
    public ScenarioReport progress(String workflowId, String workflowType) {
        return query(workflowId, RomaWorkflows.report(workflowType, true));
    }

    private <R> R query(String workflowId, Class<R> progressType) {
        try {
            return client.newUntypedWorkflowStub(workflowId).query(RomaWorkflows.PROGRESS_QUERY, progressType);
        } catch (WorkflowException | io.grpc.StatusRuntimeException e) {
            return null;
        }
    }

    /** The two lines that tell an operator what is asked and how to answer; the question said before if none. */
    private String announce(String workflowId, PendingApproval pending, String announced) {
        if (pending == null || pending.question().equals(announced)) {
            return announced;
        }
        notices.println("waiting for approval: " + pending.question());
        notices.println("  approve: roma-dr approve " + workflowId + "    reject: roma-dr approve " + workflowId
                + " --reject --reason '...'");
        notices.flush();
        return pending.question();
    }

    private static <R> R reportOfFailure(String workflowId, Throwable failure, Class<? extends R> reportType) {
        if (failure instanceof RuntimeException e && undecodable(e)) {
            throw e; // this process cannot read what the run returned (e.g. a payload key it lacks): not a failed run
        }
        if (failure instanceof WorkflowFailedException failed) {
            R report = RunFailure.reportOf(failed, reportType);
            if (report != null) {
                return report;
            }
            Throwable cause = failed.getCause();
            String how = cause instanceof TerminatedFailure
                    ? "was terminated"
                    : cause instanceof CanceledFailure
                            ? "was cancelled"
                            : cause instanceof TimeoutFailure ? "timed out" : null;
            throw how != null
                    ? new NoReport(workflowId, how, null, failed)
                    : new NoReport(workflowId, "failed", rootMessage(failed), failed);
        }
        throw new NoReport(workflowId, "failed", rootMessage(failure), failure);
    }

    /** Whether {@code e} comes from decoding a payload here, not from the run: a codec or converter error. */
    static boolean undecodable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.temporal.payload.codec.PayloadCodecException
                    || t instanceof io.temporal.common.converter.DataConverterException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause's message (an application failure's own message, without its type). */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ApplicationFailure af ? af.getOriginalMessage() : t.getMessage();
    }
}
