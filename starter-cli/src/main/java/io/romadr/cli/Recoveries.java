package io.romadr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.romadr.report.Progress;
import io.romadr.report.RecoveryReport;
import io.romadr.report.RunFailure;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowStub;

/** Looks a recovery up on Temporal: its state, its progress query, its report. */
final class Recoveries {
    /** The query every roma-dr scenario workflow answers. */
    static final String PROGRESS_QUERY = "progress";

    private final TemporalOptions.Connection temporal;

    Recoveries(TemporalOptions.Connection temporal) {
        this.temporal = temporal;
    }

    /** The latest run's status; {@link ExitCodes#NOT_FOUND} when there is no such workflow. */
    WorkflowExecutionStatus status(String workflowId) {
        return describe(workflowId).getStatus();
    }

    /** The latest run's workflow type, e.g. {@code SiteRecoveryWorkflow}. */
    String type(String workflowId) {
        return describe(workflowId).getType().getName();
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
    Progress progress(String workflowId) {
        try {
            String type = type(workflowId);
            if (ScenarioReports.handles(type)) {
                return ScenarioReports.progress(stub(workflowId), type);
            }
            return stub(workflowId).query(PROGRESS_QUERY, Progress.class);
        } catch (WorkflowException | StatusRuntimeException e) {
            return null;
        }
    }

    /**
     * The report of a closed Scenario 1 recovery: its result, or the report a failed run carries in its failure's
     * details; a workflow that was terminated, cancelled, timed out or failed without a report becomes
     * {@link ExitCodes#FAILED} with a line saying so.
     */
    RecoveryReport report(String workflowId, WorkflowExecutionStatus status) {
        return scenarioReport(workflowId, status, RecoveryReport.class);
    }

    /**
     * The report of a closed scenario workflow of the given report type: its result, or the report a failed run
     * carries in its failure's details.
     */
    <T> T scenarioReport(String workflowId, WorkflowExecutionStatus status, Class<T> type) {
        if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED) {
            try {
                return stub(workflowId).getResult(type);
            } catch (io.temporal.client.WorkflowFailedException e) {
                T report = RunFailure.reportOf(e, type);
                if (report != null) {
                    return report;
                }
                throw new CliException(ExitCodes.FAILED, "workflow " + workflowId + " failed without a report: "
                        + rootMessage(e), e);
            } catch (WorkflowException e) {
                throw new CliException(ExitCodes.FAILED, "workflow " + workflowId + " has no report: "
                        + rootMessage(e), e);
            }
        }
        throw new CliException(ExitCodes.FAILED, "workflow " + workflowId + " " + closedHow(status)
                + " without a report; counted as a failed recovery");
    }

    /** Completes when the workflow closes (exceptionally when it closes without a report). */
    java.util.concurrent.CompletableFuture<RecoveryReport> resultAsync(String workflowId) {
        return stub(workflowId).getResultAsync(RecoveryReport.class);
    }

    static String closedHow(WorkflowExecutionStatus status) {
        return switch (status) {
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> "was terminated";
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> "was cancelled";
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> "timed out";
            case WORKFLOW_EXECUTION_STATUS_FAILED -> "failed";
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "completed";
            default -> "ended (" + status + ")";
        };
    }

    private WorkflowStub stub(String workflowId) {
        return temporal.client().newUntypedWorkflowStub(workflowId);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
