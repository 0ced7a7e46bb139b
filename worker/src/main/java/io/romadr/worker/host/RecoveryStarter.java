package io.romadr.worker.host;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.romadr.recovery.AlertNotice;
import io.romadr.recovery.ServiceRecoveryRequest;
import io.romadr.recovery.ServiceRecoveryWorkflow;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts Scenario 1 for the webhooks, once per workflow ID: with conflict policy use-existing a start for an ID
 * whose recovery is running attaches to it, and once that recovery has closed the next start makes a new run
 * (reuse policy allow-duplicate).
 *
 * <p>Started or attached? The SDK's {@code WorkflowClient.start} returns only the execution, so this sends the
 * {@code StartWorkflowExecution} call itself and reads the response's {@code started} flag: the server decides
 * atomically, so two hosts receiving the same alert at once cannot both report "started". (A server that predates
 * conflict policies ignores the field and answers ALREADY_EXISTS for a running ID: reported as already running,
 * without a run ID.) The input goes
 * through the client's data converter, so a payload codec configured on the client applies as usual.
 */
public final class RecoveryStarter {
    private final TemporalWorkerManaged temporal;
    private final RomaMetrics metrics;

    public RecoveryStarter(TemporalWorkerManaged temporal, RomaMetrics metrics) {
        this.temporal = temporal;
        this.metrics = metrics;
    }

    /** The outcome of a start: the run it started or attached to. */
    public record Started(String workflowId, String runId, boolean started) {}

    public Started start(String workflowId, ServiceRecoveryRequest request, String source) {
        WorkflowClient client = temporal.client();
        var input = client.getOptions().getDataConverter().toPayloads(request)
                .orElseThrow(() -> new IllegalStateException("no payload for the request"));
        StartWorkflowExecutionRequest start = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(temporal.namespace())
                .setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName(ServiceRecoveryWorkflow.TYPE))
                .setTaskQueue(TaskQueue.newBuilder().setName(temporal.taskQueue()))
                .setInput(input)
                .setIdentity(client.getOptions().getIdentity())
                .setRequestId(UUID.randomUUID().toString())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .build();
        StartWorkflowExecutionResponse response;
        try {
            response = temporal.service().blockingStub()
                    .withDeadlineAfter(10, TimeUnit.SECONDS).startWorkflowExecution(start);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return new Started(workflowId, "", false);
            }
            throw e;
        }
        if (response.getStarted()) {
            metrics.recoveryStarted(request.plan(), source);
        }
        return new Started(workflowId, response.getRunId(), response.getStarted());
    }

    /** Records the notice on the running recovery with that ID; false when none is running. */
    public boolean notice(String workflowId, AlertNotice notice) {
        try {
            temporal.client().newWorkflowStub(ServiceRecoveryWorkflow.class, workflowId).alertNotice(notice);
            return true;
        } catch (WorkflowNotFoundException e) {
            return false;
        }
    }
}
