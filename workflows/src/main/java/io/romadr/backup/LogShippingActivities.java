package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Production logs: read a service's container logs from the Docker engine and keep them in the backup store as
 * time-ranged objects ({@link LogKeys}). Log lines never pass through Temporal: only ranges, counts and digests.
 */
@ActivityInterface
public interface LogShippingActivities {
    /** The newest shipped range's end for the service (a short listing). */
    @ActivityMethod
    LogCutoff lastLogCutoff(LogCutoffRequest request);

    /** Reads and stores one range (heartbeats while it reads); the same range found stored is returned. */
    @ActivityMethod
    ShippedLogs shipLogs(ShipLogsRequest request);

    /** Deletes the objects past retention (manifest first, so a half-deleted one is never read). */
    @ActivityMethod
    PrunedLogs pruneLogs(PruneLogsRequest request);
}
