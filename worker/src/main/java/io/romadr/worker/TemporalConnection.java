package io.romadr.worker;

import com.uber.m3.tally.Scope;
import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.TemporalEndpoint;
import io.romadr.temporal.TemporalFailures;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/**
 * A connection to a Temporal frontend ({@link TemporalEndpoint}: TLS, mutual TLS, API key); fails fast with a clear
 * message when nothing answers or the server refuses the TLS handshake or the credentials.
 */
public record TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, String namespace)
        implements
            AutoCloseable {

    public TemporalConnection(String address, String namespace) {
        this(address, namespace, null);
    }

    /** With the SDK's metrics reported to {@code metricsScope} (client and workers); none when null. */
    public TemporalConnection(String address, String namespace, Scope metricsScope) {
        this(TemporalEndpoint.plain(address, namespace), metricsScope);
    }

    public TemporalConnection(TemporalEndpoint endpoint, Scope metricsScope) {
        this(connect(endpoint, metricsScope), endpoint.namespace());
    }

    private TemporalConnection(WorkflowServiceStubs service, String namespace) {
        this(service, WorkflowClient.newInstance(service, RomaClientOptions.of(namespace)), namespace);
    }

    /** Bad settings fail before a channel exists; a failed connect closes its channel and says why in one line. */
    private static WorkflowServiceStubs connect(TemporalEndpoint endpoint, Scope metricsScope) {
        WorkflowServiceStubsOptions.Builder options = endpoint.serviceStubsOptions();
        if (metricsScope != null) {
            options.setMetricsScope(metricsScope);
        }
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(options.build());
        try {
            stubs.connect(Duration.ofSeconds(10));
            return stubs;
        } catch (RuntimeException e) {
            stubs.shutdownNow();
            throw new IllegalStateException(TemporalFailures.explain(endpoint, e));
        }
    }

    @Override
    public void close() {
        service.shutdown();
        try {
            service.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }
}
