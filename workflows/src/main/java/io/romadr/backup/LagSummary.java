package io.romadr.backup;

/**
 * The measured recovery point of one backup kind over a window: how many samples, their p50, p99 and maximum lag,
 * and the newest one. {@code basis} says what a sample is: {@code events} (event to backup committed) or
 * {@code interval} (for kinds backed up on a schedule: the time between two committed backups, what a loss just
 * before the second would have lost), or {@link #QUIET}. {@code samples == 0}: nothing measured in the window.
 */
public record LagSummary(String plan, String kind, String basis, long since, int samples, long p50Millis,
        long p99Millis, long maxMillis, long lastMillis, long lastAt) {

    public static final String EVENTS = "events";
    public static final String INTERVAL = "interval";
    /**
     * Git only: mirrors ran in the window and every one found the backups already equal (or was a run of push
     * events, whose lags are the samples): nothing waited, so there is no lag to measure and nothing was at risk.
     */
    public static final String QUIET = "quiet";

    public static LagSummary none(String plan, String kind, String basis, long since) {
        return new LagSummary(plan, kind, basis, since, 0, 0, 0, 0, 0, 0);
    }
}
