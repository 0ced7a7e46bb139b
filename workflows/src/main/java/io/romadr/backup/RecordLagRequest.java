package io.romadr.backup;

import io.romadr.plan.BackupStore;
import java.util.List;

/** Adds {@code samples} to the measured lags of {@code kind} ({@code git}, {@code images}, {@code secrets}, ...). */
public record RecordLagRequest(BackupStore store, String plan, String kind, List<LagSample> samples) {
    public RecordLagRequest {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }
}
