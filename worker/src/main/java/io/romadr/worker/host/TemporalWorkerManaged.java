package io.romadr.worker.host;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.dropwizard.lifecycle.Managed;
import io.micrometer.core.instrument.MeterRegistry;
import io.romadr.plan.PlanRepository;
import io.romadr.plan.RecoveryPlan;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.TemporalEndpoint;
import io.romadr.worker.EmbeddedTemporal;
import io.romadr.worker.RomaWorker;
import io.romadr.worker.SearchAttributesRegistrar;
import io.romadr.worker.TemporalConnection;
import io.romadr.worker.WorkerTuning;
import io.temporal.client.WorkflowClient;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal side of the worker host as a Dropwizard {@link Managed}: on start it validates every plan (a broken
 * plan stops start-up with {@code file:line: field: problem}), connects to Temporal (or starts the embedded
 * server), registers the search attributes and starts the {@link RomaWorker}; on stop it stops polling, lets the
 * running activities finish, and disconnects. The SDK's metrics go to the given registry.
 */
public final class TemporalWorkerManaged implements Managed {
    private static final Logger log = LoggerFactory.getLogger(TemporalWorkerManaged.class);

    private final RomaDrConfiguration.TemporalSettings settings;
    private final PlanRepository plans;
    private final RomaWorker.Activities activities;
    private final MeterRegistry registry;
    private final RomaMetrics metrics;
    private final WorkerTuning tuning;

    private volatile EmbeddedTemporal embedded;
    private volatile Scope scope;
    private volatile TemporalConnection connection;
    private volatile RomaWorker worker;

    public TemporalWorkerManaged(RomaDrConfiguration.TemporalSettings settings, PlanRepository plans,
            RomaWorker.Activities activities, MeterRegistry registry, RomaMetrics metrics, WorkerTuning tuning) {
        this.tuning = tuning;
        this.settings = settings;
        this.plans = plans;
        this.activities = activities;
        this.registry = registry;
        this.metrics = metrics;
    }

    @Override
    public void start() {
        Map<String, RecoveryPlan> loaded = plans.loadAll(); // throws PlanException: file:line: field: problem
        // TLS files and the API key are read before anything starts: a bad one stops start-up naming it
        TemporalEndpoint endpoint = settings.embedded() ? null : settings.endpoint(System.getenv());
        String address = settings.address();
        if (settings.embedded()) {
            embedded = EmbeddedTemporal.start(settings.embeddedPort());
            address = embedded.address();
            endpoint = TemporalEndpoint.plain(address, settings.namespace());
            log.info("embedded Temporal (SDK test server) at {}", address);
        }
        scope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(1));
        connection = new TemporalConnection(endpoint, scope);
        SearchAttributesRegistrar.ensure(connection.service(), settings.namespace());
        worker = new RomaWorker(connection.client(), settings.taskQueue(), tuning, activities,
                new RecoveryOutcomeInterceptor(metrics), new BackupOutcomeInterceptor(metrics));
        worker.start();
        log.info("roma-dr worker on {} namespace={} task-queue={} plans={} {} connection: {}", address,
                settings.namespace(), settings.taskQueue(), loaded.keySet(), tuning.summary(), endpoint.describe());
        log.info("roma-dr worker: {}", RomaClientOptions.encryption(connection.client().getOptions()));
    }

    /** Stops polling, waits for in-flight activities (bounded), then disconnects and flushes the metrics. */
    @Override
    public void stop() throws Exception {
        if (worker != null) {
            // said on stop so an operator sees the drain (docker stop, a pod's termination) in the log
            log.info("roma-dr worker stopping: polling ended, waiting for running activities (up to 30 s)");
            worker.close();
            log.info("roma-dr worker stopped");
        }
        if (connection != null) {
            connection.close();
        }
        if (scope != null) {
            scope.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    /** The client, once started. */
    public WorkflowClient client() {
        return connection().client();
    }

    public WorkflowServiceStubs service() {
        return connection().service();
    }

    public String namespace() {
        return settings.namespace();
    }

    public String taskQueue() {
        return settings.taskQueue();
    }

    /** The frontend this host talks to (the embedded server's address in embedded mode). */
    public String address() {
        return embedded != null ? embedded.address() : settings.address();
    }

    private TemporalConnection connection() {
        TemporalConnection c = connection;
        if (c == null) {
            throw new NotConnectedException();
        }
        return c;
    }

    /** Before start or after a failed start: no Temporal client yet. */
    public static final class NotConnectedException extends IllegalStateException {
        NotConnectedException() {
            super("not connected to Temporal yet");
        }
    }
}
