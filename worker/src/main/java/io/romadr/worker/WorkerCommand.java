package io.romadr.worker;

import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.docker.DockerClients;
import io.romadr.plan.PlanException;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.TaskQueues;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs a worker until SIGTERM/SIGINT; in-flight activities finish first (or are retried by another worker). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run a roma-dr worker against a Temporal server.")
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--address", description = "Temporal frontend (env TEMPORAL_ADDRESS; default ${DEFAULT-VALUE})",
            defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}")
    String address;

    @Option(names = "--namespace", defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
            description = "Temporal namespace (env TEMPORAL_NAMESPACE; default ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--task-queue", defaultValue = "${env:ROMA_DR_TASK_QUEUE:-" + TaskQueues.DEFAULT + "}",
            description = "Task queue (env ROMA_DR_TASK_QUEUE; default ${DEFAULT-VALUE})")
    String taskQueue;

    @Option(names = "--region", defaultValue = "${env:ROMA_DR_REGION}", paramLabel = "REGION",
            description = "Serve this region's task queue roma-dr-<region> (env ROMA_DR_REGION; see docs/regions.md)")
    String region;

    @Option(names = "--plans", defaultValue = "${env:ROMA_DR_PLANS:-deploy/plans}",
            description = "Directory of recovery plans (env ROMA_DR_PLANS; default ${DEFAULT-VALUE})")
    Path plansDir;

    @Option(names = "--notifications", defaultValue = "${env:ROMA_DR_NOTIFICATIONS}", paramLabel = "FILE",
            description = "YAML of the notification channels, the worker host's notifications: section "
                    + "(env ROMA_DR_NOTIFICATIONS; none: deliveries fail as not configured)")
    Path notificationsFile;

    @Mixin
    io.romadr.cli.TemporalTlsOptions tls;

    // The worker's concurrency (WorkerTuning; not given: its default). The same variables feed the worker host's
    // deploy/worker.yml, so a container is tuned the same way whichever command it runs.
    @Option(names = "--max-workflow-tasks", defaultValue = "${env:ROMA_DR_MAX_WORKFLOW_TASKS}",
            description = "Workflow tasks run at once (env ROMA_DR_MAX_WORKFLOW_TASKS; default 200)")
    Integer maxWorkflowTasks;

    @Option(names = "--max-activities", defaultValue = "${env:ROMA_DR_MAX_ACTIVITIES}",
            description = "Activities run at once; a watching recovery holds one (env ROMA_DR_MAX_ACTIVITIES; "
                    + "default 600)")
    Integer maxActivities;

    @Option(names = "--workflow-pollers", defaultValue = "${env:ROMA_DR_WORKFLOW_POLLERS}",
            description = "Workflow task pollers (env ROMA_DR_WORKFLOW_POLLERS; default 16)")
    Integer workflowPollers;

    @Option(names = "--activity-pollers", defaultValue = "${env:ROMA_DR_ACTIVITY_POLLERS}",
            description = "Activity task pollers (env ROMA_DR_ACTIVITY_POLLERS; default 16)")
    Integer activityPollers;

    @Option(names = "--sticky-cache-size", defaultValue = "${env:ROMA_DR_STICKY_CACHE_SIZE}",
            description = "Workflows kept in memory between tasks (env ROMA_DR_STICKY_CACHE_SIZE; default 600)")
    Integer stickyCacheSize;

    @Option(names = "--max-workflow-threads", defaultValue = "${env:ROMA_DR_MAX_WORKFLOW_THREADS}",
            description = "Threads of the cached workflows (env ROMA_DR_MAX_WORKFLOW_THREADS; default 1800)")
    Integer maxWorkflowThreads;

    @Option(names = "--backup-slots", defaultValue = "${env:ROMA_DR_BACKUP_SLOTS}",
            description = "Workflow task and activity slots of the backups worker (env ROMA_DR_BACKUP_SLOTS; "
                    + "default 20)")
    Integer backupSlots;

    @Option(names = "--backup-pollers", defaultValue = "${env:ROMA_DR_BACKUP_POLLERS}",
            description = "Pollers of the backups worker (env ROMA_DR_BACKUP_POLLERS; default 2)")
    Integer backupPollers;

    /** The exit code when a plan is broken. */
    static final int INVALID_PLANS = 2;
    /** The exit code when a tuning value is refused. */
    static final int INVALID_TUNING = 2;

    /** The tuning the options and environment give; refuses a zero or negative value, naming it. */
    WorkerTuning tuning() {
        return WorkerTuning.of(maxWorkflowTasks, maxActivities, workflowPollers, activityPollers, stickyCacheSize,
                maxWorkflowThreads, backupSlots, backupPollers);
    }

    @Override
    public Integer call() throws Exception {
        try {
            taskQueue = TaskQueues.of(taskQueue, region);
        } catch (IllegalArgumentException e) {
            System.err.println("--region: " + e.getMessage());
            return picocli.CommandLine.ExitCode.USAGE;
        }
        WorkerTuning tuning;
        try {
            tuning = tuning();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.flush();
            return INVALID_TUNING;
        }
        PlanRepository plans = new PlanRepository(plansDir);
        List<PlanException> problems = plans.problems();
        if (!problems.isEmpty()) { // one file:line: field: problem line each, as the host's check and server print
            problems.forEach(p -> System.err.println(p.getMessage()));
            System.err.flush();
            return INVALID_PLANS;
        }
        Map<String, RecoveryPlan> loaded = plans.loadAll();
        DockerClient docker = DockerClients.fromEnvironment();
        io.romadr.temporal.TemporalEndpoint endpoint = tls.endpoint(address, namespace, System.getenv());
        TemporalConnection temporal = new TemporalConnection(endpoint, null);
        SearchAttributesRegistrar.ensure(temporal.service(), namespace);
        RomaWorker worker = new RomaWorker(temporal.client(), taskQueue, tuning, plans, docker,
                NotificationSettingsFile.read(notificationsFile));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            temporal.close();
            stopped.countDown();
        }, "roma-dr-shutdown"));
        worker.start();
        System.out.println("roma-dr worker on " + address + " namespace=" + namespace + " task-queue=" + taskQueue
                + " plans=" + loaded.keySet() + " " + tuning.summary() + " connection: " + endpoint.describe());
        System.out.println("roma-dr worker: " + RomaClientOptions.encryption(temporal.client().getOptions()));
        System.out.flush();
        stopped.await();
        return 0;
    }
}
