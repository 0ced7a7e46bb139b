package io.romadr.cli;

import io.romadr.temporal.RomaClientOptions;
import io.romadr.temporal.TaskQueues;
import io.romadr.temporal.TemporalConfigException;
import io.romadr.temporal.TemporalEndpoint;
import io.romadr.temporal.TemporalFailures;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where Temporal is and how to reach it (TLS, mutual TLS, API key; the Temporal CLI's environment names): the
 * options every command that talks to Temporal shares (a picocli mixin). The API key itself only from the
 * environment ({@code TEMPORAL_API_KEY}) or a file: a command-line value would show in {@code ps}.
 */
public class TemporalOptions {
    @Option(names = "--address", paramLabel = "HOST:PORT",
            defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}",
            description = "Temporal frontend address (env TEMPORAL_ADDRESS; default: ${DEFAULT-VALUE}).")
    String address;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
            description = "Temporal namespace (env TEMPORAL_NAMESPACE; default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--task-queue", paramLabel = "QUEUE",
            defaultValue = "${env:ROMA_DR_TASK_QUEUE:-" + TaskQueues.DEFAULT + "}",
            description = "Task queue of the roma-dr workers (env ROMA_DR_TASK_QUEUE; default: ${DEFAULT-VALUE}).")
    String taskQueue;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "5",
            description = "Give up connecting to Temporal after this many seconds (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    @Mixin
    TemporalTlsOptions tls = new TemporalTlsOptions();

    /** Where TEMPORAL_API_KEY and the payload keys are read (tests give their own). */
    Map<String, String> environment = System.getenv();

    /** The connection these options describe; a bad setting or file is {@link ExitCodes#USAGE}, naming it. */
    TemporalEndpoint endpoint() {
        try {
            return tls.endpoint(address, namespace, environment);
        } catch (TemporalConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), null);
        }
    }

    /** Connects and checks the server's health, so an unreachable server fails fast with {@link ExitCodes#ERROR}. */
    Connection connect() {
        TemporalEndpoint endpoint = endpoint();
        PayloadKeys keys = payloadKeys();
        WorkflowServiceStubs stubs;
        try {
            WorkflowServiceStubsOptions options = endpoint.serviceStubsOptions()
                    .setRpcTimeout(Duration.ofSeconds(10))
                    .build();
            stubs = WorkflowServiceStubs.newServiceStubs(options);
        } catch (TemporalConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), null);
        } catch (RuntimeException e) {
            throw new CliException(ExitCodes.ERROR, unreachable(), e);
        }
        try {
            // One attempt, not the SDK's retried connect (which takes seconds whatever its timeout): a refused
            // connection fails at once, a silent one after the connect timeout.
            stubs.blockingStub()
                    .withDeadlineAfter(Math.max(1, connectTimeoutSeconds), TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        } catch (RuntimeException e) {
            stubs.shutdownNow();
            throw new CliException(ExitCodes.ERROR, TemporalFailures.explain(endpoint, e), e);
        }
        WorkflowClient client = WorkflowClient.newInstance(stubs, RomaClientOptions.of(namespace, keys));
        return new Connection(this, stubs, client);
    }

    /** The payload keys of the environment, or null; a bad key file is {@link ExitCodes#USAGE}, naming it. */
    PayloadKeys payloadKeys() {
        try {
            return PayloadKeys.fromEnvironment(environment);
        } catch (TemporalConfigException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), null);
        }
    }

    String unreachable() {
        return "cannot reach Temporal at " + address
                + " (is the server running? set --address or TEMPORAL_ADDRESS)";
    }

    /** A connected client; closing it shuts the gRPC channel down. */
    record Connection(TemporalOptions options, WorkflowServiceStubs stubs, WorkflowClient client)
            implements
                AutoCloseable {
        String namespace() {
            return options.namespace;
        }

        String taskQueue() {
            return options.taskQueue;
        }

        @Override
        public void close() {
            stubs.shutdownNow();
            stubs.awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
