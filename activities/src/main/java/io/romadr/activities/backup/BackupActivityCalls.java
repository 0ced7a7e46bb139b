package io.romadr.activities.backup;

import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.heartbeat.HeartbeatTicker;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The frame of every backup, data-recovery and test-restore activity method, in one place: the work runs under a
 * {@link HeartbeatTicker} (its first details are what a retry reads back, or none), and an error becomes a failure
 * through {@link BackupFailures} with the activity class's retryable I/O failure type.
 */
final class BackupActivityCalls {
    /** The work of one activity method, given the ticker it reports its progress to. */
    interface Work<T> {
        T run(HeartbeatTicker ticker) throws IOException;
    }

    private final String ioType;

    BackupActivityCalls(String ioType) {
        this.ioType = ioType;
    }

    /** {@link #ticking(ActivityExecutionContext, Object, Supplier, Work)} for the current activity, if any. */
    <T> T ticking(Supplier<String> what, Work<T> work) {
        return ticking(Heartbeat.currentContext(), null, what, work);
    }

    /** {@code what} ("restoring x into y") is built only when the work fails. */
    <T> T ticking(ActivityExecutionContext ctx, Object initialDetails, Supplier<String> what, Work<T> work) {
        try (HeartbeatTicker ticker = new HeartbeatTicker(ctx, initialDetails)) {
            return work.run(ticker);
        } catch (IOException | RuntimeException e) {
            throw BackupFailures.failure(what.get(), e, ioType);
        }
    }
}
