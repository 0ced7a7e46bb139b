package io.romadr.cli;

import io.romadr.scenario.servicefailure.ServiceRecoveryWorkflowImpl;
import io.romadr.temporal.RomaClientOptions;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * The SDK's Temporal test server on a free port, the search attributes registered, and a worker running the real
 * {@link ServiceRecoveryWorkflowImpl} with {@link FakeActivities}.
 */
final class TestTemporal implements AutoCloseable {
    static final String NAMESPACE = "default";
    static final String TASK_QUEUE = "roma-dr-cli-test";

    final int port;
    final TestServer.PortBoundTestServer server;
    final WorkflowServiceStubs stubs;
    final WorkflowClient client;
    final WorkerFactory factory;

    TestTemporal() {
        port = freePort();
        // Time skipping locked: the workflow's RTO timer and the fakes' waits run on the real clock.
        server = TestServer.createPortBoundServer(port, true);
        registerSearchAttributes();
        stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
        client = WorkflowClient.newInstance(stubs, RomaClientOptions.of(NAMESPACE));
        factory = WorkerFactory.newInstance(client);
        // Both queues, as RomaWorker polls them: backups are started on the backups queue.
        for (String queue : new String[]{TASK_QUEUE, io.romadr.temporal.TaskQueues.backups(TASK_QUEUE)}) {
            register(factory.newWorker(queue));
        }
        factory.start();
    }

    private static void register(Worker worker) {
        worker.registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class,
                io.romadr.backup.StateSnapshotWorkflowImpl.class, io.romadr.backup.ArtifactBackupWorkflowImpl.class,
                io.romadr.backup.BackupRestoreWorkflowImpl.class, io.romadr.backup.RetentionWorkflowImpl.class,
                io.romadr.backup.BackupCatalogWorkflowImpl.class, io.romadr.backup.GitMirrorWorkflowImpl.class,
                io.romadr.backup.ImageMirrorWorkflowImpl.class,
                io.romadr.scenario.siteloss.SiteRecoveryWorkflowImpl.class, FakeDrillWorkflow.class,
                io.romadr.scenario.drill.DrillCatalogWorkflowImpl.class,
                io.romadr.backup.BackupAccessAuditWorkflowImpl.class,
                io.romadr.backup.LogShippingWorkflowImpl.class);
        worker.registerActivitiesImplementations(new FakeActivities.Plans(), new FakeActivities.Service(),
                new FakeBackups(), new FakeSiteActivities(), new FakeSiteActivities.Data(), new FakeDrillReports(),
                new FakeAudit());
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    private void registerSearchAttributes() {
        OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
                OperatorServiceStubsOptions.newBuilder().setTarget(address()).validateAndBuildWithDefaults());
        try {
            operator.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                    .setNamespace(NAMESPACE)
                    .putSearchAttributes("RomaScenario", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                    .putSearchAttributes("RomaPlan", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                    .putSearchAttributes("RomaOutcome", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                    .putSearchAttributes("RomaRtoBreached", IndexedValueType.INDEXED_VALUE_TYPE_BOOL)
                    .build());
        } finally {
            operator.shutdownNow();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        FakeActivities.RELEASE.countDown();
        FakeSiteActivities.RELEASE.countDown();
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
        stubs.shutdownNow();
        server.close();
    }
}
