package io.romadr.worker;

import com.uber.m3.tally.Scope;
import io.romadr.temporal.RomaClientOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;

/** A connection to a Temporal frontend; fails fast with a clear message when nothing answers. */
public record TemporalConnection(WorkflowServiceStubs service, WorkflowClient client, String namespace)
        implements
            AutoCloseable {

    public TemporalConnection(String address, String namespace) {
        this(address, namespace, null);
    }

    /** With the SDK's metrics reported to {@code metricsScope} (client and workers); none when null. */
    public TemporalConnection(String address, String namespace, Scope metricsScope) {
        this(connect(address, metricsScope), namespace);
    }

    private TemporalConnection(WorkflowServiceStubs service, String namespace) {
        this(service, WorkflowClient.newInstance(service, RomaClientOptions.of(namespace)), namespace);
    }

    private static WorkflowServiceStubs connect(String address, Scope metricsScope) {
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
        if (metricsScope != null) {
            options.setMetricsScope(metricsScope);
        }
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(options.build(), Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot reach Temporal at " + address + ": " + e.getMessage(), e);
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
