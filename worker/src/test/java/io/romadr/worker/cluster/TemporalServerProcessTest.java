package io.romadr.worker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production-shaped server harness itself: the Go-built Temporal server on PostgreSQL comes up with the
 * namespace and search attributes, and a workflow started before a server restart is still there after it (the
 * history lives in PostgreSQL, not in the process).
 */
@Tag("integration")
class TemporalServerProcessTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkflowStartedBeforeARestartIsStillRunningAfterIt() throws Exception {
        try (PostgresDatabases dbs = PostgresDatabases.create("harness", tmp);
                TemporalServerProcess server = TemporalServerProcess.start(tmp.resolve("server"),
                        new TemporalServerProcess.Postgres(dbs))) {
            assertTrue(server.version().startsWith("1."), server.version());
            String id = "harness-" + UUID.randomUUID();
            server.service().blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                    .setNamespace(TemporalServerProcess.NAMESPACE).setWorkflowId(id)
                    .setRequestId(UUID.randomUUID().toString())
                    .setWorkflowType(WorkflowType.newBuilder().setName("NoWorkerForThis"))
                    .setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls-" + id)).build());

            server.restart();

            WorkflowExecutionStatus status = server.service().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace(TemporalServerProcess.NAMESPACE)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                    .getWorkflowExecutionInfo().getStatus();
            assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status);
            assertTrue(server.database().startsWith("PostgreSQL"), server.database());
        }
    }
}
