package io.romadr.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Mixin;

/** A command that talks to Temporal: connects, runs, disconnects, and turns gRPC failures into one line. */
abstract class TemporalCommand extends BaseCommand {
    @Mixin
    TemporalOptions temporal;

    @Override
    protected final int run() throws InterruptedException {
        try (TemporalOptions.Connection connection = temporal.connect()) {
            return run(connection);
        }
    }

    protected abstract int run(TemporalOptions.Connection temporal) throws InterruptedException;

    @Override
    protected String describe(RuntimeException e) {
        StatusRuntimeException grpc = grpcCause(e);
        if (grpc != null) {
            Status.Code code = grpc.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                return temporal.unreachable();
            }
            String description = grpc.getStatus().getDescription();
            return "Temporal answered " + code + (description == null ? "" : ": " + description);
        }
        return super.describe(e);
    }

    static StatusRuntimeException grpcCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                return s;
            }
        }
        return null;
    }
}
