package io.romadr.cli;

import io.romadr.report.Progress;
import io.romadr.report.RecoveryReport;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows a running recovery until it closes: on a terminal one line rewritten about once a second, otherwise a
 * plain line whenever the step, round or RTO state changes.
 */
final class Watcher {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Recoveries recoveries;
    private final PrintWriter out;
    private final boolean live;
    private final String taskQueue;

    Watcher(Recoveries recoveries, PrintWriter out, boolean live, String taskQueue) {
        this.recoveries = recoveries;
        this.out = out;
        this.live = live;
        this.taskQueue = taskQueue;
    }

    /** Blocks until the workflow closes and returns how it closed. */
    WorkflowExecutionStatus follow(String workflowId) throws InterruptedException {
        // A long poll for the result ends the wait the moment the workflow closes, instead of on the next tick.
        CompletableFuture<RecoveryReport> closed = recoveries.resultAsync(workflowId);
        String lastKey = null;
        int width = 0;
        try {
            while (true) {
                WorkflowExecutionStatus status = recoveries.status(workflowId);
                if (!Recoveries.running(status)) {
                    if (live && width > 0) {
                        out.println();
                        out.flush();
                    }
                    return status;
                }
                Progress p = recoveries.progress(workflowId);
                String line = p == null ? ProgressLine.noProgress(taskQueue)
                        : ProgressLine.format(p, System.currentTimeMillis());
                if (live) {
                    out.print('\r' + line + " ".repeat(Math.max(0, width - line.length())));
                    width = line.length();
                    out.flush();
                } else {
                    String key = p == null ? "" : ProgressLine.key(p);
                    if (!key.equals(lastKey)) {
                        out.println(line);
                        out.flush();
                        lastKey = key;
                    }
                }
                tick(closed);
            }
        } finally {
            closed.cancel(true);
        }
    }

    private static void tick(CompletableFuture<RecoveryReport> closed) throws InterruptedException {
        if (closed.isDone()) {
            Thread.sleep(INTERVAL.toMillis());
            return;
        }
        try {
            closed.get(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Still running, or it closed without a result: the next status call tells which.
        }
    }

    /** Whether stdout is a terminal a carriage return can rewrite. */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try { // Java 22+: System.console() is non-null even when redirected.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
