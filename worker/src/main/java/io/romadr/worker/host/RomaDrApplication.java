package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import com.github.dockerjava.api.DockerClient;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.romadr.activities.docker.DockerClients;
import io.romadr.activities.notify.NotificationSettings;
import io.romadr.plan.PlanRepository;
import io.romadr.worker.RomaWorker;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker host: {@code java -jar roma-dr-worker.jar server worker.yml}. Runs the roma-dr worker as a managed
 * object ({@link TemporalWorkerManaged}), the alert webhooks on the application port, and health checks
 * ({@code /healthcheck}) and Prometheus metrics ({@code /prometheus}) on the admin port. With
 * {@code temporal.embedded: true} the same host runs on an in-process Temporal server.
 */
public class RomaDrApplication extends Application<RomaDrConfiguration> {
    private static final Logger log = LoggerFactory.getLogger(RomaDrApplication.class);

    /** Signed requests the generic webhook remembers within its replay window (about 100 bytes each). */
    static final int HMAC_REMEMBERED_SIGNATURES = 100_000;
    /** Git push deliveries remembered within their replay window (two entries of about 100 bytes each). */
    static final int GIT_REMEMBERED_DELIVERIES = 200_000;

    private volatile TemporalWorkerManaged temporal;
    private volatile PrometheusMeterRegistry registry;
    private volatile org.eclipse.jetty.server.Server jetty;

    public static void main(String[] args) throws Exception {
        new RomaDrApplication().run(args);
    }

    @Override
    public String getName() {
        return "roma-dr";
    }

    /** {@code server} and {@code check} validate every plan first: one line per problem, no stack trace. */
    @Override
    protected void addDefaultCommands(Bootstrap<RomaDrConfiguration> bootstrap) {
        bootstrap.addCommand(new PlanCheckingCommands.Server(this));
        bootstrap.addCommand(new PlanCheckingCommands.Check(this));
    }

    @Override
    public void initialize(Bootstrap<RomaDrConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public void run(RomaDrConfiguration config, Environment environment) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.registry = registry;
        environment.lifecycle().addServerLifecycleListener(server -> this.jetty = server);
        RomaMetrics metrics = new RomaMetrics(registry);
        PlanRepository plans = new PlanRepository(config.plansDir());

        DockerClient docker = dockerClient(config.docker());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() throws Exception {
                docker.close();
            }
        });
        RomaWorker.Activities activities = activities(plans, docker, config.notifications());
        NotificationTargets.warnUnconfigured(plans, config.notifications(), environment());
        TemporalWorkerManaged temporal = new TemporalWorkerManaged(config.temporal(), plans, activities, registry,
                metrics, config.worker());
        environment.lifecycle().manage(temporal);
        this.temporal = temporal;
        environment.lifecycle().manage(collectors(config.monitoring(), plans, activities, temporal, metrics));

        environment.healthChecks().register("temporal", HostHealthChecks.temporal(temporal));
        environment.healthChecks().register("docker", HostHealthChecks.docker(docker));
        environment.healthChecks().register("plans", HostHealthChecks.plans(plans));
        environment.admin().addServlet("prometheus", new PrometheusServlet(registry)).addMapping("/prometheus");

        var hooks = config.webhooks();
        Map<String, String> env = environment();
        var amAuth = hooks.alertmanager().auth();
        var basic = amAuth.basic();
        AlertmanagerAuthenticator authenticator = new AlertmanagerAuthenticator(
                Secret.resolve("webhooks.alertmanager.auth bearer token", amAuth.bearerTokenFile(),
                        amAuth.bearerTokenEnv(), env),
                basic == null ? null : basic.username(),
                basic == null
                        ? Optional.empty()
                        : Secret.resolve("webhooks.alertmanager.auth.basic password",
                                basic.passwordFile(), basic.passwordEnv(), env));
        HmacVerifier hmac = new HmacVerifier(
                Secret.resolve("webhooks.generic HMAC secret", hooks.generic().hmacSecretFile(),
                        hooks.generic().hmacSecretEnv(), env),
                hooks.generic().replayWindow().toJavaDuration(), hooks.generic().requireTimestamp(),
                HMAC_REMEMBERED_SIGNATURES, clock());
        AlertRouter router = new AlertRouter(hooks.alertmanager().routes(), plans.names());
        if (!authenticator.configured()) {
            log.warn("POST /webhooks/alertmanager refuses every request: no credentials configured "
                    + "(webhooks.alertmanager.auth)");
        }
        if (!hmac.configured()) {
            log.warn("POST /webhooks/recover refuses every request: no HMAC secret configured (webhooks.generic)");
        }
        log.info("alertmanager webhook: {} route(s), {}", router.size(), authenticator);

        WebhookBodies bodies = new WebhookBodies(environment.getObjectMapper(), hooks.maxBodyBytes());
        RecoveryTriggers triggers = new RecoveryTriggers(temporal, plans, metrics);
        environment.jersey().register(new AlertmanagerResource(authenticator, router, plans, triggers, bodies,
                metrics, hooks.alertmanager().maxAlerts()));
        environment.jersey().register(new RecoverWebhookResource(hmac, plans, triggers, bodies, metrics));
        BackupEventTriggers backupEvents = new BackupEventTriggers(temporal, metrics);
        GitPushSecrets gitSecrets = GitPushSecrets.resolve(hooks.git(), env);
        if (!gitSecrets.configured()) {
            log.warn("POST /webhooks/git/<plan> refuses every request: no secret configured (webhooks.git)");
        }
        environment.jersey().register(new GitPushWebhookResource(gitSecrets,
                new GitDeliveries(hooks.git().replayWindow().toJavaDuration(), GIT_REMEMBERED_DELIVERIES, clock()),
                plans, backupEvents, bodies, metrics, clock()));
        BearerTokens registryToken = new BearerTokens(Secret.resolve("webhooks.registry bearer token",
                hooks.registry().bearerTokenFile(), hooks.registry().bearerTokenEnv(), env).stream().toList());
        if (!registryToken.configured()) {
            log.warn("POST /webhooks/registry refuses every request: no bearer token configured (webhooks.registry)");
        }
        environment.jersey().register(new RegistryWebhookResource(registryToken, plans,
                backupEvents, bodies, metrics, clock()));
        environment.jersey().register(new WebhookExceptionMapper());
        CodecServlet.serve(config.codec(), config.temporal().namespace(), env, environment, metrics);
    }

    /** Backup status from the stores and running recoveries from Temporal, every {@code collectInterval}. */
    private static MetricCollectors collectors(RomaDrConfiguration.MonitoringSettings settings, PlanRepository plans,
            RomaWorker.Activities activities, TemporalWorkerManaged temporal, RomaMetrics metrics) {
        List<Runnable> collectors = new ArrayList<>();
        if (activities.backups() != null) {
            collectors.add(new BackupStatusCollector(plans, activities.backups(), metrics));
        }
        collectors.add(new RecoveryStatusCollector(temporal::client, temporal.namespace(),
                settings.maxQueriedRecoveries(), metrics));
        return new MetricCollectors(settings.collectInterval().toJavaDuration(), collectors);
    }

    /** The Temporal side (client, address) once {@link #run} has been called; for tests and tools. */
    public TemporalWorkerManaged temporal() {
        return temporal;
    }

    /** Stops a host started in-process (the embedded default): the worker drains, then Jetty stops. */
    public void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    /** The metrics registry once {@link #run} has been called. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The activities the worker registers; tests override this with fakes. */
    protected RomaWorker.Activities activities(PlanRepository plans, DockerClient docker,
            NotificationSettings notifications) {
        return RomaWorker.Activities.production(plans, docker, notifications);
    }

    /** The environment secrets are read from; tests override it. */
    protected Map<String, String> environment() {
        return System.getenv();
    }

    /** The clock the replay window is checked against; tests override it. */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    private static DockerClient dockerClient(RomaDrConfiguration.DockerSettings settings) {
        return settings.host() == null || settings.host().isBlank()
                ? DockerClients.fromEnvironment()
                : DockerClients.forHost(settings.host().trim());
    }
}
