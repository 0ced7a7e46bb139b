package io.romadr.worker;

import io.romadr.activities.notify.NotificationSettings;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.plan.PlanRepository;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded stack of the worker's end-to-end tests: the SDK's Temporal server in this JVM with roma-dr's search
 * attributes, a {@link RomaWorker} on one task queue, and the {@code roma-dr} CLI against them; plus what the test
 * sets up around it (sandbox containers, local servers), torn down with it.
 *
 * <p>A test class builds it in {@code @BeforeAll} ({@code stack = new EmbeddedStack(QUEUE)}, {@link #closeLater}
 * its servers, {@link #sandbox} its containers, then {@link #startWorker}) and closes it in {@code @AfterAll}: the
 * worker, the connection and the server first, then the rest in the reverse order it was added.
 */
public final class EmbeddedStack implements AutoCloseable {
    private final String taskQueue;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private EmbeddedTemporal temporal;
    private TemporalConnection connection;
    private RomaWorker worker;

    public EmbeddedStack(String taskQueue) {
        this.taskQueue = taskQueue;
    }

    /** Closes {@code resource} when the stack closes (after the worker and Temporal). */
    public <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    /**
     * Starts {@code <project>-<service>-1}, a sandbox-image container labelled as that compose service and running
     * {@code sleep}, with {@code binds} (container path to host directory); removed when the stack closes.
     */
    public String sandbox(DockerClient docker, String project, String service, Map<String, Path> binds,
            Map<String, String> extraLabels) {
        Map<String, String> labels = new HashMap<>(extraLabels);
        labels.put(DockerServiceActivities.LABEL_PROJECT, project);
        labels.put(DockerServiceActivities.LABEL_SERVICE, service);
        List<Bind> mounts = binds.entrySet().stream()
                .map(b -> new Bind(b.getValue().toString(), new Volume(b.getKey()))).toList();
        String id = docker.createContainerCmd(SandboxImage.DEFAULT_IMAGE)
                .withName(project + "-" + service + "-1")
                .withLabels(labels)
                .withCmd("sleep", "100000")
                .withHostConfig(HostConfig.newHostConfig().withInit(true).withBinds(mounts))
                .exec().getId();
        closeLater(() -> docker.removeContainerCmd(id).withForce(true).exec());
        docker.startContainerCmd(id).exec();
        return id;
    }

    /** Starts embedded Temporal and a worker with the production wiring for the plans in {@code plans}. */
    public EmbeddedStack startWorker(Path plans, DockerClient docker) {
        startTemporal();
        return run(new RomaWorker(connection.client(), taskQueue, new PlanRepository(plans), docker,
                NotificationSettings.NONE));
    }

    /** Starts embedded Temporal and a worker with these activities. */
    public EmbeddedStack startWorker(RomaWorker.Activities activities) {
        startTemporal();
        return run(new RomaWorker(connection.client(), taskQueue, activities));
    }

    private void startTemporal() {
        temporal = EmbeddedTemporal.start(0);
        connection = new TemporalConnection(temporal.address(), "default");
        SearchAttributesRegistrar.ensure(connection.service(), "default");
    }

    private EmbeddedStack run(RomaWorker started) {
        worker = started;
        worker.start();
        return this;
    }

    /** {@code roma-dr <args>} in-process against this stack's server and task queue. */
    public CliRun cli(String... args) {
        return CliRun.of(temporal.address(), taskQueue, args);
    }

    public String address() {
        return temporal.address();
    }

    public String taskQueue() {
        return taskQueue;
    }

    public WorkflowClient client() {
        return connection.client();
    }

    /** Everything, even when a step fails; the first failure is thrown after the rest is closed. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : new AutoCloseable[]{worker, connection, temporal}) {
            first = closeKeepingFirst(c, first);
        }
        while (!resources.isEmpty()) {
            first = closeKeepingFirst(resources.pop(), first);
        }
        if (first != null) {
            throw first;
        }
    }

    private static Exception closeKeepingFirst(AutoCloseable c, Exception first) {
        if (c == null) {
            return first;
        }
        try {
            c.close();
        } catch (Exception e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
        }
        return first;
    }
}
