package io.romadr.backup;

import java.util.List;

/**
 * The measured lags of one plan and kind, kept in the plan's backup store as {@link #key}, oldest first, so they
 * outlive Temporal's history retention and count what every worker measured.
 */
public record LagHistory(String plan, String kind, List<LagSample> samples) {
    /** At most this many samples are kept (the newest). */
    public static final int MAX_SAMPLES = 2000;

    public LagHistory {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    public static String key(String plan, String kind) {
        return "lag/" + plan + "/" + kind + ".json";
    }
}
