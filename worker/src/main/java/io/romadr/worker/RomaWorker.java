package io.romadr.worker;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.plan.PlanActivitiesImpl;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.PlanRepository;
import io.romadr.recovery.ServiceActivities;
import io.romadr.recovery.ServiceRecoveryWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;

/**
 * One roma-dr worker: every workflow and activity on one task queue. Constructed the same way by the worker host,
 * the embedded default and the tests, so there is one wiring to get right.
 */
public final class RomaWorker implements AutoCloseable {
    private final WorkerFactory factory;

    public RomaWorker(WorkflowClient client, String taskQueue, PlanRepository plans, DockerClient docker) {
        this(client, taskQueue, Activities.production(plans, docker));
    }

    /** With the given activity implementations (tests use fakes) and worker interceptors (e.g. metrics). */
    public RomaWorker(WorkflowClient client, String taskQueue, Activities activities,
            WorkerInterceptor... interceptors) {
        this.factory = WorkerFactory.newInstance(client,
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptors).build());
        Worker worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(ServiceRecoveryWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities.plans(), activities.service());
    }

    /** The activity implementations a worker registers. */
    public record Activities(PlanActivities plans, ServiceActivities service) {
        /** The real ones: plans from the plans directory, Scenario 1 on the Docker engine. */
        public static Activities production(PlanRepository plans, DockerClient docker) {
            return new Activities(new PlanActivitiesImpl(plans),
                    new DockerServiceActivities(docker, new HttpProbe(), new HostCommandRunner()));
        }
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
