package io.romadr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.romadr.report.ReportFormatter;
import io.romadr.report.ScenarioReport;
import io.romadr.temporal.RecoveryFollower;
import io.romadr.temporal.RomaWorkflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.io.PrintWriter;

/**
 * Looks a recovery of any scenario up on Temporal (its state, its progress, its report) and follows it, all through
 * the one client-side {@link RecoveryFollower}; a run without a report becomes {@link ExitCodes#FAILED}.
 */
final class Recoveries {
    private final TemporalOptions.Connection temporal;
    private final PrintWriter err;

    /** {@code err} receives the follower's notices (a pending approval and how to answer it). */
    Recoveries(TemporalOptions.Connection temporal, PrintWriter err) {
        this.temporal = temporal;
        this.err = err;
    }

    /** The latest run's status; {@link ExitCodes#NOT_FOUND} when there is no such workflow. */
    WorkflowExecutionStatus status(String workflowId) {
        return describe(workflowId).getStatus();
    }

    /** The latest run's workflow type, e.g. {@code SiteRecoveryWorkflow}; an error unless it is a scenario's. */
    String type(String workflowId) {
        String type = describe(workflowId).getType().getName();
        if (!RomaWorkflows.REPORTS.containsKey(type)) {
            throw new CliException(ExitCodes.ERROR, "workflow " + workflowId + " is a " + type
                    + ", not a recovery (recoveries: " + RomaWorkflows.REPORTS.keySet() + ")");
        }
        return type;
    }

    private io.temporal.api.workflow.v1.WorkflowExecutionInfo describe(String workflowId) {
        try {
            return temporal.stubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(temporal.namespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                            .build())
                    .getWorkflowExecutionInfo();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                // The server says "Namespace x is not found." for a missing namespace; anything else is the workflow.
                String what = String.valueOf(e.getStatus().getDescription()).toLowerCase().startsWith("namespace")
                        ? "namespace \"" + temporal.namespace() + "\" not found"
                        : "workflow " + workflowId + " not found in namespace " + temporal.namespace();
                throw new CliException(ExitCodes.NOT_FOUND, what, e);
            }
            throw e;
        }
    }

    static boolean running(WorkflowExecutionStatus status) {
        return status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW;
    }

    /** The progress query's answer, or null when no worker answers it right now. */
    ScenarioReport progress(String workflowId) {
        return follower().progress(workflowId, type(workflowId));
    }

    /**
     * The report of a closed recovery: its result, or the report a failed run carries in its failure's details; a
     * workflow that was terminated, cancelled, timed out or failed without a report is a failed recovery.
     */
    ScenarioReport report(String workflowId) {
        try {
            return follower().report(workflowId, type(workflowId));
        } catch (RecoveryFollower.NoReport e) {
            throw new CliException(ExitCodes.FAILED, e.getMessage() + "; counted as a failed recovery", e);
        }
    }

    /**
     * Follows the recovery until it closes ({@code listener} sees its progress every {@code interval}); a run without
     * a report is {@code what} (e.g. "site recovery") that failed, {@code onCancel} said after "was cancelled".
     */
    ScenarioReport follow(String workflowId, String type, RecoveryFollower.Listener listener, String what,
            String onCancel) throws InterruptedException {
        try {
            return follower().follow(workflowId, type, listener);
        } catch (RecoveryFollower.NoReport e) {
            String how = e.cancelled()
                    ? e.how() + onCancel + "; see it in the Temporal Web UI"
                    : e.how().equals("failed") ? "failed: " + RecoveryFollower.rootMessage(e) : e.how();
            throw new CliException(ExitCodes.FAILED, what + " " + workflowId + " " + how, e);
        }
    }

    /**
     * {@code recover ... --wait}: follows the recovery, prints its report and returns the exit code for it, the same
     * for every scenario.
     */
    int await(String workflowId, String type, RecoveryFollower.Listener listener, String what, String onCancel,
            PrintWriter out) throws InterruptedException {
        ScenarioReport report = follow(workflowId, type, listener, what, onCancel);
        out.println();
        out.print(ReportFormatter.markdown(report));
        out.flush();
        return ExitCodes.of(report);
    }

    /** Polls the progress query about once a second, like {@code status}. */
    private RecoveryFollower follower() {
        return new RecoveryFollower(temporal.client(), Watcher.INTERVAL, err);
    }
}
