package io.romadr.backup;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The measured recovery points (lags) kept in the plan's backup store ({@link LagHistory}). Short calls. */
@ActivityInterface
public interface BackupLagActivities {
    /** Adds the samples not yet recorded (by {@link LagSample#key}); keeps the newest {@link LagHistory#MAX_SAMPLES}. */
    @ActivityMethod
    void recordLag(RecordLagRequest request);

    /** p50, p99, maximum and newest of the samples since the request's time. */
    @ActivityMethod
    LagSummary lagSummary(LagSummaryRequest request);
}
