package io.romadr.cli;

import io.romadr.report.RunFailure;
import io.romadr.temporal.RecoveryFollower;
import io.romadr.temporal.TaskQueues;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;

/**
 * Starts a workflow by type with one request object, prints its id, and with {@code wait} prints the report
 * (also the one a failed run carries in its failure details) and returns the exit code for it.
 */
final class WorkflowRun<R> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final String type;
    private final Class<R> reportType;
    private final Function<R, String> render;

    WorkflowRun(String type, Class<R> reportType, Function<R, String> render) {
        this.type = type;
        this.reportType = reportType;
        this.render = render;
    }

    static String defaultId(String prefix, String plan, Clock clock) {
        return prefix + "-" + plan + "-" + STAMP.format(clock.instant());
    }

    int run(TemporalOptions.Connection temporal, String workflowId, Object request, boolean wait, PrintWriter out,
            PrintWriter err) {
        String queue = TaskQueues.forWorkflow(temporal.taskQueue(), type);
        WorkflowStub stub = temporal.client().newUntypedWorkflowStub(type,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(queue).build());
        try {
            stub.start(request);
        } catch (WorkflowExecutionAlreadyStarted e) {
            throw new CliException(ExitCodes.ERROR, "workflow " + workflowId + " is already running", e);
        }
        out.println(workflowId);
        out.flush();
        err.println("started " + type + " on task queue " + queue
                + (wait
                        ? "; waiting for it to finish"
                        : "; see it in the Temporal Web UI or: temporal workflow show -w "
                                + workflowId));
        err.flush();
        if (!wait) {
            return ExitCodes.RECOVERED;
        }
        return await(temporal, workflowId, out);
    }

    /** Waits for the workflow, prints its report (also a failed run's) and returns the exit code for it. */
    int await(TemporalOptions.Connection temporal, String workflowId, PrintWriter out) {
        WorkflowStub stub = temporal.client().newUntypedWorkflowStub(workflowId);
        try {
            R report = stub.getResult(reportType);
            out.println();
            out.print(render.apply(report));
            out.flush();
            return ExitCodes.RECOVERED;
        } catch (WorkflowFailedException e) {
            R report = RunFailure.reportOf(e, reportType);
            if (report == null) {
                throw new CliException(ExitCodes.FAILED, type + " " + workflowId + " failed: " + rootMessage(e), e);
            }
            out.println();
            out.print(render.apply(report));
            out.flush();
            return ExitCodes.FAILED;
        }
    }

    static String rootMessage(Throwable e) {
        return RecoveryFollower.rootMessage(e);
    }
}
