package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LagSample;
import io.romadr.backup.LagSummary;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code lag/<plan>/<kind>.json} in the plan's backup store: the measured lags of event-driven backups, appended by
 * the run that committed the backup (one writer per plan and kind: the kind's events workflow or watch), read by
 * {@code backups list}, the metrics and the weekly verification.
 */
final class StoreBackupLag {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Function<BackupStore, ObjectStore> stores;

    StoreBackupLag(Function<BackupStore, ObjectStore> stores) {
        this.stores = stores;
    }

    /** Adds the samples whose key is not there yet (a retried call adds nothing twice); keeps the newest ones. */
    void record(BackupStore spec, String plan, String kind, List<LagSample> samples) throws IOException {
        LagHistory history = read(spec, plan, kind);
        Map<String, LagSample> all = new LinkedHashMap<>();
        history.samples().forEach(s -> all.put(s.key(), s));
        samples.forEach(s -> all.putIfAbsent(s.key(), s));
        List<LagSample> kept = new ArrayList<>(all.values());
        kept.sort(Comparator.comparingLong(LagSample::committedAt).thenComparingLong(LagSample::eventAt));
        if (kept.size() > LagHistory.MAX_SAMPLES) {
            kept = kept.subList(kept.size() - LagHistory.MAX_SAMPLES, kept.size());
        }
        stores.apply(spec).put(LagHistory.key(plan, kind), JSON.writeValueAsBytes(new LagHistory(plan, kind, kept)));
    }

    /** The recorded samples, oldest first; none when nothing was recorded. */
    LagHistory read(BackupStore spec, String plan, String kind) throws IOException {
        ObjectStore store = stores.apply(spec);
        String key = LagHistory.key(plan, kind);
        if (store.stat(key).isEmpty()) {
            return new LagHistory(plan, kind, List.of());
        }
        try (InputStream in = store.open(key)) {
            return JSON.readValue(in, LagHistory.class);
        }
    }

    /** Summary of the samples committed at or after {@code since}. */
    LagSummary summary(BackupStore spec, String plan, String kind, long since) throws IOException {
        List<LagSample> window = read(spec, plan, kind).samples().stream().filter(s -> s.committedAt() >= since)
                .toList();
        return summarise(plan, kind, LagSummary.EVENTS, since, window);
    }

    static LagSummary summarise(String plan, String kind, String basis, long since, List<LagSample> window) {
        if (window.isEmpty()) {
            return LagSummary.none(plan, kind, basis, since);
        }
        long[] lags = window.stream().mapToLong(LagSample::lagMillis).sorted().toArray();
        LagSample last = window.stream().max(Comparator.comparingLong(LagSample::committedAt)).orElseThrow();
        return new LagSummary(plan, kind, basis, since, lags.length, percentile(lags, 50), percentile(lags, 99),
                lags[lags.length - 1], last.lagMillis(), last.committedAt());
    }

    /** Nearest-rank percentile of sorted values. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
