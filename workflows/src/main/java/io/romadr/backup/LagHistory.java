package io.romadr.backup;

import java.util.List;

/**
 * The measured lags of one plan and kind, kept in the plan's backup store as {@link #key}, oldest first, so they
 * outlive Temporal's history retention and count what every worker measured.
 */
public record LagHistory(String plan, String kind, List<LagSample> samples) {
    /** At most this many samples are kept (the newest). */
    public static final int MAX_SAMPLES = 2000;
    /**
     * The kind under which each good image mirror run (scheduled or from events) is kept: the intervals images are
     * measured by when no registry push event was measured.
     */
    public static final String IMAGE_RUNS = "images-runs";

    public LagHistory {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    public static String key(String plan, String kind) {
        return "lag/" + plan + "/" + kind + ".json";
    }
}
