package io.romadr.temporal;

import io.romadr.temporal.codec.EncryptingDataConverter;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.common.converter.DataConverter;
import java.util.Optional;

/**
 * The options of every roma-dr WorkflowClient (CLI, worker host, bare worker, embedded host, drills, tests): one
 * place, one converter. With payload keys ({@link PayloadKeys#fromEnvironment}, or handed in) every payload is
 * encrypted, failure messages and stack traces too; without, payloads are written as Temporal does by default.
 */
public final class RomaClientOptions {
    private RomaClientOptions() {
    }

    /** With the payload keys of this process's environment (none: payloads in clear). */
    public static WorkflowClientOptions of(String namespace) {
        return of(namespace, PayloadKeys.fromEnvironment(System.getenv()));
    }

    /** With these payload keys; null: payloads in clear. */
    public static WorkflowClientOptions of(String namespace, PayloadKeys keys) {
        return of(WorkflowClientOptions.newBuilder().setNamespace(namespace).build(), keys);
    }

    /** These options with roma-dr's converter and the environment's keys (the worker makes sure its client has it). */
    public static WorkflowClientOptions of(WorkflowClientOptions options) {
        return of(options, PayloadKeys.fromEnvironment(System.getenv()));
    }

    public static WorkflowClientOptions of(WorkflowClientOptions options, PayloadKeys keys) {
        return WorkflowClientOptions.newBuilder(options).setDataConverter(converter(keys)).build();
    }

    /** A schedule client's options with the same namespace and converter: a schedule's workflow input is a payload. */
    public static ScheduleClientOptions schedules(WorkflowClientOptions options) {
        return ScheduleClientOptions.newBuilder().setNamespace(options.getNamespace())
                .setDataConverter(options.getDataConverter()).build();
    }

    /** roma-dr's converter: strict workflow inputs, and encryption with {@code keys} unless null. */
    public static DataConverter converter(PayloadKeys keys) {
        DataConverter inputs = InputDataConverter.create();
        return keys == null ? inputs : new EncryptingDataConverter(inputs, keys);
    }

    public static boolean applied(WorkflowClientOptions options) {
        DataConverter converter = options.getDataConverter();
        return converter instanceof InputDataConverter || converter instanceof EncryptingDataConverter;
    }

    /** The keys these options encrypt with, if any. */
    public static Optional<PayloadKeys> keys(WorkflowClientOptions options) {
        return options.getDataConverter() instanceof EncryptingDataConverter e
                ? Optional.of(e.keys())
                : Optional.empty();
    }

    /** For a process's start-up line: which key encrypts and where the keys came from, never a key. */
    public static String encryption(WorkflowClientOptions options) {
        return keys(options)
                .map(k -> "payloads encrypted with key " + k.currentId() + " (" + k.source() + ", " + k.ids().size()
                        + " key(s))")
                .orElse("payloads not encrypted (neither " + PayloadKeys.FILE_ENV + " nor " + PayloadKeys.ENV
                        + " is set)");
    }
}
