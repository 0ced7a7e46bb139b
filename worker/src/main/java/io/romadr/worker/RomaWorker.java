package io.romadr.worker;

import io.romadr.activities.compute.DockerHostCompute;
import io.romadr.activities.compute.Ec2ComputeProvider;
import io.romadr.activities.site.ComputeProviders;
import io.romadr.activities.site.DnsProviders;
import io.romadr.activities.site.ComputeSiteActivities;
import io.romadr.scenario.siteloss.SiteActivities;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import com.github.dockerjava.api.DockerClient;
import io.romadr.activities.backup.DockerBackupActivities;
import io.romadr.activities.backup.ArtifactFiles;
import io.romadr.activities.backup.DockerDataRecoveryActivities;
import io.romadr.activities.backup.DockerTestRestoreActivities;
import io.romadr.activities.backup.SecretsBackupActivities;
import io.romadr.activities.secrets.SecretsRotationActivities;
import io.romadr.activities.backup.BackupAccessAuditActivities;
import io.romadr.activities.git.JGitMirrorActivities;
import io.romadr.activities.git.BranchRewind;
import io.romadr.activities.git.JGitRecoveryActivities;
import io.romadr.activities.registry.RegistryImageActivities;
import io.romadr.activities.docker.DockerServiceActivities;
import io.romadr.activities.drill.DockerDrillActivities;
import io.romadr.activities.drill.DrillReportStore;
import io.romadr.scenario.drill.DrillActivities;
import io.romadr.activities.notify.NotificationChannels;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.notify.NotificationActivities;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.backup.BackupActivities;
import io.romadr.backup.GitMirrorActivities;
import io.romadr.backup.ImageMirrorActivities;
import io.romadr.backup.TestRestoreActivities;
import io.romadr.scenario.datacorruption.DataRecoveryActivities;
import io.romadr.scenario.gitloss.GitRecoveryActivities;
import io.romadr.backup.SecretsActivities;
import io.romadr.backup.AccessAuditActivities;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;
import io.romadr.activities.plan.PlanDirectoryActivities;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.activities.verify.HttpProbe;
import io.romadr.plan.PlanActivities;
import io.romadr.plan.PlanRepository;
import io.romadr.scenario.servicefailure.ServiceActivities;
import io.romadr.temporal.InvalidWorkflowInput;
import io.romadr.temporal.RecoveryStarter;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.RomaWorkflows;
import io.romadr.temporal.TaskQueues;
import io.romadr.temporal.WorkflowInputCheck;
import io.temporal.client.WorkflowClient;
import io.romadr.temporal.SingleRecoveryCheck;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.romadr.activities.security.DockerSecurityIncidentActivities;
import io.romadr.scenario.security.SecurityIncidentActivities;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One roma-dr worker: every workflow and activity on one task queue, and the same again on the backups queue next to
 * it ({@link TaskQueues#backups}) with slots and pollers of its own, so a burst of backups never takes a recovery's.
 * Both register everything: a backup's children stay on its queue, and a backup schedule made on the recovery queue
 * before the backups queue existed still runs. Constructed the same way by the worker host, the embedded default and
 * the tests, so there is one wiring to get right.
 */
public final class RomaWorker implements AutoCloseable {
    private final WorkerFactory factory;

    public RomaWorker(WorkflowClient client, String taskQueue, PlanRepository plans, DockerClient docker,
            NotificationSettings notifications) {
        this(client, taskQueue, WorkerTuning.DEFAULTS, plans, docker, notifications);
    }

    /** The production activities with the given concurrency. */
    public RomaWorker(WorkflowClient client, String taskQueue, WorkerTuning tuning, PlanRepository plans,
            DockerClient docker, NotificationSettings notifications) {
        this(client, taskQueue, tuning, Activities.production(plans, docker, notifications));
    }

    /** With the given activity implementations (tests use fakes) and worker interceptors (e.g. metrics). */
    public RomaWorker(WorkflowClient client, String taskQueue, Activities activities,
            WorkerInterceptor... interceptors) {
        this(client, taskQueue, WorkerTuning.DEFAULTS, activities, interceptors);
    }

    /** With the given concurrency (slots, pollers, cache), activities and worker interceptors. */
    public RomaWorker(WorkflowClient client, String taskQueue, WorkerTuning tuning, Activities activities,
            WorkerInterceptor... interceptors) {
        WorkerInterceptor[] all = interceptors(interceptors);
        // The worker reads workflow inputs with roma-dr's converter whatever client it was given.
        WorkflowClient workerClient = RomaClientOptions.applied(client.getOptions())
                ? client
                : WorkflowClient.newInstance(client.getWorkflowServiceStubs(),
                        RomaClientOptions.of(client.getOptions()));
        this.factory = WorkerFactory.newInstance(workerClient,
                tuning.applyTo(WorkerFactoryOptions.newBuilder()).setWorkerInterceptors(all).build());
        // Heartbeat details carry resume points (e.g. the parts of an upload already stored); the SDK's default
        // throttling would let the server see them only every 0.8 x heartbeat timeout, so a crash would lose up to
        // that much progress. One second keeps the loss to one part.
        Worker worker = factory.newWorker(taskQueue, tuning.applyTo(WorkerOptions.newBuilder())
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .build());
        Worker backups = factory.newWorker(TaskQueues.backups(taskQueue), tuning.applyToBackups(WorkerOptions
                .newBuilder())
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .build());
        Object[] implementations = Stream.of(activities.plans(), activities.service(),
                activities.backups(), activities.secrets(), activities.git(), activities.images(),
                activities.testRestores(), activities.gitRecovery(), activities.data(), activities.site(),
                activities.drill(), activities.audit(), activities.security(),
                activities.notifications() != null
                        ? activities.notifications()
                        : NotificationChannels.production(NotificationSettings.NONE, System.getenv()),
                SecretsRotationActivities.production(),
                new RecoveryClaims(new RecoveryStarter(workerClient, taskQueue), activities.plans()),
                new TriggeredRecoveries(workerClient))
                .filter(Objects::nonNull).toArray();
        for (Worker w : new Worker[]{worker, backups}) {
            // An input the converter cannot read fails the execution at once, not the workflow task forever.
            w.registerWorkflowImplementationTypes(WorkflowImplementationOptions.newBuilder()
                    .setFailWorkflowExceptionTypes(InvalidWorkflowInput.class).build(),
                    RomaWorkflows.IMPLEMENTATIONS.toArray(Class<?>[]::new));
            w.registerActivitiesImplementations(implementations);
        }
    }

    /**
     * The worker interceptors of every roma-dr worker, {@code extra} included (and of a replayer, which must run the
     * workflows as the worker did). The SDK wraps them in order, so the last runs first: the extra ones (metrics) see
     * every run; then the input check, so a workflow whose input cannot be used fails before anything else; then the
     * single-recovery claim.
     */
    public static WorkerInterceptor[] interceptors(WorkerInterceptor... extra) {
        return Stream.concat(Stream.of(new SingleRecoveryCheck(), new WorkflowInputCheck()), Stream.of(extra))
                .toArray(WorkerInterceptor[]::new);
    }

    /** The activity implementations a worker registers; tests of one scenario may leave the others null. */
    public record Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
            SecretsActivities secrets, GitMirrorActivities git, ImageMirrorActivities images,
            TestRestoreActivities testRestores, GitRecoveryActivities gitRecovery, DataRecoveryActivities data,
            SiteActivities site, NotificationActivities notifications, DrillActivities drill,
            AccessAuditActivities audit, SecurityIncidentActivities security) {

        /** Without the backup access audit's reads and the security incident's activities. */
        public Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
                SecretsActivities secrets, GitMirrorActivities git, ImageMirrorActivities images,
                TestRestoreActivities testRestores, GitRecoveryActivities gitRecovery, DataRecoveryActivities data,
                SiteActivities site, NotificationActivities notifications, DrillActivities drill) {
            this(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data, site, notifications,
                    drill, null, null);
        }

        public Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
                SecretsActivities secrets, GitMirrorActivities git, ImageMirrorActivities images,
                TestRestoreActivities testRestores, GitRecoveryActivities gitRecovery, DataRecoveryActivities data,
                SiteActivities site, NotificationActivities notifications) {
            this(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data, site, notifications,
                    null);
        }

        /** Without notification channels: every delivery fails at once as "not configured" (tests, fakes). */
        public Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
                SecretsActivities secrets, GitMirrorActivities git, ImageMirrorActivities images,
                TestRestoreActivities testRestores, GitRecoveryActivities gitRecovery, DataRecoveryActivities data,
                SiteActivities site) {
            this(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data, site, null);
        }

        /** These activities with {@code notifications} as the notification channels. */
        public Activities withNotifications(NotificationActivities notifications) {
            return new Activities(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data,
                    site, notifications, drill, audit, security);
        }

        /** These activities with {@code drill} as the drills' own (fault injection, independent checks). */
        public Activities withDrill(DrillActivities drill) {
            return new Activities(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data,
                    site, notifications, drill, audit, security);
        }

        /** These activities with {@code audit} as the backup access audit's reads. */
        public Activities withAudit(AccessAuditActivities audit) {
            return new Activities(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data,
                    site, notifications, drill, audit, security);
        }

        /** These activities with {@code security} as the security incident's (containment, evidence, images). */
        public Activities withSecurity(SecurityIncidentActivities security) {
            return new Activities(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data,
                    site, notifications, drill, audit, security);
        }

        /** Everything but Scenario 3. */
        public Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
                SecretsActivities secrets, GitMirrorActivities git, ImageMirrorActivities images,
                TestRestoreActivities testRestores, GitRecoveryActivities gitRecovery, DataRecoveryActivities data) {
            this(plans, service, backups, secrets, git, images, testRestores, gitRecovery, data, null);
        }

        /** Scenario 1 only (host tests with fakes). */
        public Activities(PlanActivities plans, ServiceActivities service) {
            this(plans, service, null, null);
        }

        /** Scenario 1 and the object-store backups. */
        public Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
                SecretsActivities secrets) {
            this(plans, service, backups, secrets, null, null, null, null, null);
        }

        /** Everything but Scenario 4. */
        public Activities(PlanActivities plans, ServiceActivities service, BackupActivities backups,
                SecretsActivities secrets, GitMirrorActivities git, ImageMirrorActivities images,
                TestRestoreActivities testRestores) {
            this(plans, service, backups, secrets, git, images, testRestores, null, null);
        }

        /**
         * The real ones: plans from the plans directory, Scenario 1 and state/artifact backups on the Docker engine,
         * backups in the object store each plan names, secrets from Vault / Secrets Manager.
         */
        public static Activities production(PlanRepository plans, DockerClient docker,
                NotificationSettings notifications) {
            Function<BackupStore, ObjectStore> stores = spec -> {
                try {
                    return ObjectStores.open(spec);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open backup store " + spec.uri() + ": " + e.getMessage(), e);
                }
            };
            DockerServiceActivities service = new DockerServiceActivities(docker, new HttpProbe(),
                    new HostCommandRunner());
            SecretsBackupActivities secrets = SecretsBackupActivities.production(plans.directory(), stores);
            DockerDataRecoveryActivities data = new DockerDataRecoveryActivities(docker, stores, plans.directory());
            AwsCredentialsProvider aws = DefaultCredentialsProvider.builder().build();
            ComputeProviders compute = (provider, site) -> provider.equals("aws")
                    ? new Ec2ComputeProvider(site.aws().region(), site.aws().endpoint(), aws,
                            site.aws().stagingBucket())
                    : new DockerHostCompute(docker, sitesRoot());
            DnsProviders dns = new DnsProviders(aws, Duration.ofMinutes(10), Duration.ofSeconds(2));
            DockerBackupActivities backups = new DockerBackupActivities(docker, stores);
            JGitRecoveryActivities gitRecovery = new JGitRecoveryActivities(gitCache().resolveSibling("git-recovery"),
                    System::getenv, new HostCommandRunner());
            return new Activities(new PlanDirectoryActivities(plans), service,
                    backups, secrets,
                    new JGitMirrorActivities(gitCache(), System::getenv),
                    new RegistryImageActivities(System::getenv),
                    new DockerTestRestoreActivities(docker, stores),
                    gitRecovery,
                    data,
                    new ComputeSiteActivities(compute, dns,
                            docker, stores, secrets, service, data, System::getenv, gitCache().resolveSibling("site")),
                    NotificationChannels.production(notifications, System.getenv()),
                    new DockerDrillActivities(docker, backups, gitRecovery, new DrillReportStore(stores),
                            DockerDrillActivities.onDocker(docker, service, new ArtifactFiles(docker,
                                    plans.directory()), compute, dns, gitRecovery,
                                    new BranchRewind(gitCache().resolveSibling("git-recovery"), System::getenv))))
                    .withAudit(new BackupAccessAuditActivities(System::getenv))
                    .withSecurity(new DockerSecurityIncidentActivities(docker, stores, System::getenv));
        }
    }

    /**
     * Where the worker keeps its mirror of each plan's primary git remote: {@code ROMA_DR_GIT_CACHE}, else
     * {@code ~/.cache/roma-dr/git}. Only a cache (an incremental mirror sends just the new objects); safe to delete.
     */
    public static Path gitCache() {
        String configured = System.getenv("ROMA_DR_GIT_CACHE");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "roma-dr", "git");
    }

    /**
     * Where the docker provider keeps each replacement server's disk (bind-mounted at /srv in it):
     * {@code ROMA_DR_SITES}, else {@code ~/.local/share/roma-dr/sites}. Removed with the server.
     */
    public static Path sitesRoot() {
        String configured = System.getenv("ROMA_DR_SITES");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".local", "share", "roma-dr", "sites");
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
