package io.romadr.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodecException;
import picocli.CommandLine.Mixin;

/** A command that talks to Temporal: connects, runs, disconnects, and turns gRPC failures into one line. */
abstract class TemporalCommand extends BaseCommand {
    @Mixin
    TemporalOptions temporal;

    @Override
    protected final int run() throws InterruptedException {
        check();
        try (TemporalOptions.Connection connection = temporal.connect()) {
            return run(connection);
        }
    }

    /** Checks what picocli cannot (options that depend on each other) before connecting: a {@link CliException}. */
    protected void check() {
    }

    protected abstract int run(TemporalOptions.Connection temporal) throws InterruptedException;

    @Override
    protected String describe(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PayloadCodecException codec) { // a payload of a key this process lacks: say which
                return "cannot decrypt what Temporal returned: " + codec.getMessage();
            }
            if (t instanceof DataConverterException && String.valueOf(t.getMessage())
                    .contains(AesGcmPayloadCodec.ENCODING)) {
                return "what Temporal returned is encrypted and no payload keys are set: set "
                        + PayloadKeys.FILE_ENV + " (or " + PayloadKeys.ENV + ") as the worker has them";
            }
        }
        StatusRuntimeException grpc = grpcCause(e);
        if (grpc != null) {
            Status.Code code = grpc.getStatus().getCode();
            if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                return temporal.unreachable();
            }
            if (code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
                return io.romadr.temporal.TemporalFailures.explain(temporal.endpoint(), e); // which credentials
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

    /**
     * Sends the update {@code name} with {@code argument} to a running workflow and prints its answer: 0 when the
     * workflow took it, 1 (with the validator's reason) when it refused it, {@link ExitCodes#NOT_FOUND} when there is
     * no running workflow of that id.
     */
    protected int sendUpdate(TemporalOptions.Connection temporal, String workflowId, String name, Object argument) {
        WorkflowStub stub = temporal.client().newUntypedWorkflowStub(workflowId);
        try {
            out().println(stub.update(name, String.class, argument));
            out().flush();
            return ExitCodes.RECOVERED;
        } catch (WorkflowUpdateException e) {
            err().println("refused by " + workflowId + ": " + WorkflowRun.rootMessage(e));
            err().flush();
            return ExitCodes.FAILED;
        } catch (WorkflowNotFoundException e) {
            throw new CliException(ExitCodes.NOT_FOUND, "no running workflow " + workflowId, e);
        }
    }

    /** {@code --as NAME}, or the login name. */
    static String whoOrLogin(String given) {
        return given != null && !given.isBlank() ? given : System.getProperty("user.name");
    }

    /** {@code cli:<login>}: who started a workflow, in its report. */
    static String requestedBy() {
        return "cli:" + System.getProperty("user.name");
    }
}
