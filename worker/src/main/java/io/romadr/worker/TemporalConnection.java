package io.romadr.worker;

import com.uber.m3.tally.Scope;
import io.romadr.temporal.RomaClientOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/** A connection to a Temporal frontend; fails fast with a clear message when nothing answers. */
public final class TemporalConnection implements AutoCloseable {
    private final WorkflowServiceStubs service;
    private final WorkflowClient client;
    private final String namespace;

    public TemporalConnection(String address, String namespace) {
        this(address, namespace, null);
    }

    /** With the SDK's metrics reported to {@code metricsScope} (client and workers); none when null. */
    public TemporalConnection(String address, String namespace, Scope metricsScope) {
        this.namespace = namespace;
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        if (metricsScope != null) {
            options.setMetricsScope(metricsScope);
        }
        try {
            this.service = WorkflowServiceStubs.newConnectedServiceStubs(options.build(), Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach Temporal at " + address + ": " + e.getMessage(), e);
        }
        this.client = WorkflowClient.newInstance(service, RomaClientOptions.of(namespace));
    }

    public WorkflowClient client() {
        return client;
    }

    public WorkflowServiceStubs service() {
        return service;
    }

    public String namespace() {
        return namespace;
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
