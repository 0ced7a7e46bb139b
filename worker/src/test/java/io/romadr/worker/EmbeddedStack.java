package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.docker.SandboxImage;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.activities.poll.Deadline;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.crash.TemporalDevServer;
import io.romadr.worker.crash.WorkerProcess;
import io.romadr.worker.host.EmbeddedHost;
import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The stack of the worker's end-to-end tests, the one fixture they share: a Temporal server with roma-dr's search
 * attributes, a {@link RomaWorker} on one task queue (in this JVM, or {@link #startWorkerProcess as processes of
 * their own}), and the {@code roma-dr} CLI against them; plus what the test sets up around it (sandbox containers,
 * local servers), torn down with it.
 *
 * <p>Two servers: {@code new EmbeddedStack(QUEUE)} runs on the SDK's Temporal server in this JVM, started with the
 * worker ({@link #startWorker}) or with the production host as the drills start it ({@link #startHost});
 * {@link #onDevServer} on a real {@code temporal server start-dev}, started at once, for what only a real server has
 * (Schedules, visibility queries) and for worker processes killed with {@code kill -9}.
 *
 * <p>A test class builds it in {@code @BeforeAll} ({@code stack = new EmbeddedStack(QUEUE)}, {@link #closeLater}
 * its servers, {@link #sandbox} its containers, then {@link #startWorker}) and closes it in {@code @AfterAll}: the
 * workers, the connection and the server first, then the rest in the reverse order it was added.
 */
public final class EmbeddedStack implements AutoCloseable {
    /** Between two looks of {@link #eventually}. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final String taskQueue;
    private final Path workDir;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private AutoCloseable temporal;
    private String address;
    private TemporalConnection connection;
    private RomaWorker worker;

    /** On the SDK's Temporal server in this JVM, started by {@link #startWorker}. */
    public EmbeddedStack(String taskQueue) {
        this(taskQueue, null);
    }

    private EmbeddedStack(String taskQueue, Path workDir) {
        this.taskQueue = taskQueue;
        this.workDir = workDir;
    }

    /**
     * On a real Temporal server ({@link TemporalDevServer}, its log and the worker processes' logs in
     * {@code workDir}), started and connected now; a missing {@code temporal} CLI fails with the install hint.
     */
    public static EmbeddedStack onDevServer(String taskQueue, Path workDir) throws IOException {
        EmbeddedStack stack = new EmbeddedStack(taskQueue, workDir);
        TemporalDevServer server = TemporalDevServer.start(workDir);
        stack.temporal = server;
        stack.address = server.address();
        try {
            stack.connection = new TemporalConnection(server.address(), "default");
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return stack;
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

    /**
     * Starts embedded Temporal (on a dev-server stack: uses the dev server) and a worker in this JVM with the production
     * wiring for the plans in {@code plans}.
     */
    public EmbeddedStack startWorker(Path plans, DockerClient docker) {
        startTemporal();
        return run(new RomaWorker(connection.client(), taskQueue, new PlanRepository(plans), docker,
                NotificationSettings.NONE));
    }

    /**
     * Starts the production worker host in this JVM the way the drills start it ({@link EmbeddedHost}: the Dropwizard
     * host with its managed worker, metrics and health checks, on an embedded Temporal) for the plans in
     * {@code plans}, its configuration written to {@code workDir}; the Docker engine is the environment's. The test
     * talks to it over a connection of its own, as a client would.
     */
    public EmbeddedStack startHost(Path workDir, Path plans) throws Exception {
        if (temporal != null) {
            throw new IllegalStateException("the stack has a Temporal server already; the host brings its own");
        }
        EmbeddedHost host = EmbeddedHost.start(workDir, plans, taskQueue, 0);
        temporal = host;
        address = host.temporal().address();
        connection = new TemporalConnection(address, "default");
        return this;
    }

    /** Starts embedded Temporal (on a dev-server stack: uses the dev server) and a worker with these activities. */
    public EmbeddedStack startWorker(RomaWorker.Activities activities) {
        startTemporal();
        return run(new RomaWorker(connection.client(), taskQueue, activities));
    }

    /**
     * Starts a worker process ({@link WorkerProcess}: {@code WorkerMain worker}, production wiring) for the plans in
     * {@code plans} on this stack's dev server and task queue, with extra environment variables; it is killed when the
     * stack closes, if the test has not killed it before.
     */
    public WorkerProcess startWorkerProcess(String name, Path plans, Map<String, String> environment)
            throws IOException {
        if (workDir == null) {
            throw new IllegalStateException("worker processes need a server of their own: EmbeddedStack.onDevServer");
        }
        WorkerProcess process = WorkerProcess.start(name, workDir, address, taskQueue, plans, environment);
        processes.add(process);
        return process;
    }

    private void startTemporal() {
        if (connection != null) {
            return; // the dev server, started with the stack
        }
        EmbeddedTemporal embedded = EmbeddedTemporal.start(0);
        temporal = embedded;
        address = embedded.address();
        connection = new TemporalConnection(address, "default");
        SearchAttributesRegistrar.ensure(connection.service(), "default");
    }

    private EmbeddedStack run(RomaWorker started) {
        worker = started;
        worker.start();
        return this;
    }

    /** {@code roma-dr <args>} in-process against this stack's server and task queue. */
    public CliRun cli(String... args) {
        return CliRun.of(address, taskQueue, args);
    }

    public String address() {
        return address;
    }

    public String taskQueue() {
        return taskQueue;
    }

    public WorkflowClient client() {
        return connection.client();
    }

    /** The server's Schedules (a real server's only: the SDK's in-memory one has none). */
    public ScheduleClient schedules() {
        return ScheduleClient.newInstance(connection.service(),
                ScheduleClientOptions.newBuilder().setNamespace("default").build());
    }

    /**
     * Looks at {@code probe} every 250 ms until it returns a value (not null) and returns
     * it; fails the test with {@code why} once {@code timeout} has passed. The tests' one way to wait for something.
     */
    public static <T> T eventually(Duration timeout, Supplier<T> probe, Supplier<String> why) {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (deadline.passed()) {
                return fail("not within " + timeout + ": " + why.get());
            }
            try {
                Deadline.pause(deadline.next(POLL_INTERVAL));
            } catch (InterruptedIOException e) {
                return fail("interrupted while waiting: " + why.get());
            }
        }
    }

    /** Everything, even when a step fails; the first failure is thrown after the rest is closed. */
    @Override
    public void close() throws Exception {
        Exception first = null;
        for (WorkerProcess p : processes) {
            first = closeKeepingFirst(p, first);
        }
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
