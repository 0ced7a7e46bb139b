package io.romadr.temporal;

import io.temporal.client.WorkflowClientOptions;

/** The options of every roma-dr WorkflowClient (CLI, worker host, bare worker, tests): one place, one converter. */
public final class RomaClientOptions {
    private RomaClientOptions() {
    }

    public static WorkflowClientOptions of(String namespace) {
        return of(WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    /** These options with roma-dr's converter (the worker makes sure its client has it, however it was built). */
    public static WorkflowClientOptions of(WorkflowClientOptions options) {
        return WorkflowClientOptions.newBuilder(options).setDataConverter(InputDataConverter.create()).build();
    }

    public static boolean applied(WorkflowClientOptions options) {
        return options.getDataConverter() instanceof InputDataConverter;
    }
}
