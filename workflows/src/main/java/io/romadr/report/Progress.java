package io.romadr.report;

import java.util.List;

/**
 * A running recovery's state, returned by the workflow's progress query. {@code restoredAt} is set while the
 * service is restored (e.g. during the watch window): the RTO clock is stopped then.
 */
public record Progress(
        String scenario,
        String plan,
        Outcome outcome,
        String currentStep,
        int round,
        long startedAt,
        long rtoTargetMillis,
        boolean rtoBreached,
        Long restoredAt,
        List<StepRecord> timeline) {

    /** RTO budget left at {@code now} (negative once spent). */
    public long rtoRemainingMillis(long now) {
        return startedAt + rtoTargetMillis - (restoredAt != null ? restoredAt : now);
    }
}
