package io.romadr.temporal;

import io.temporal.client.WorkflowClientOptions;

/** The options of every roma-dr WorkflowClient (CLI, worker host, bare worker, tests): one place, one converter. */
public final class RomaClientOptions {
    private RomaClientOptions() {
    }

    public static WorkflowClientOptions of(String namespace) {
        return WorkflowClientOptions.newBuilder()
                .setNamespace(namespace)
                .setDataConverter(InputDataConverter.create())
                .build();
    }
}
