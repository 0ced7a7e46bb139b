package io.romadr.worker;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.plan.PlanActivitiesImpl;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanRepository;
import io.romadr.recovery.ServiceRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

/**
 * One roma-dr worker: every workflow and activity on one task queue. Constructed the same way by the worker host,
 * the embedded default and the tests, so there is one wiring to get right.
 */
public final class RomaWorker implements AutoCloseable {
    private final WorkerFactory factory;

    public RomaWorker(WorkflowClient client, String taskQueue, PlanRepository plans, DockerClient docker) {
        this.factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class);
        worker.registerActivitiesImplementations(
                new PlanActivitiesImpl(plans),
                new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner()));
    }

    public void start() {
        factory.start();
    }

    /** Stops polling and waits for running activities to finish (they are retried elsewhere if we are killed). */
    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    }
}
