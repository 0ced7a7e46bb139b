package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.backup.GitMirrorRecord;
import io.romadr.backup.BackupEventsWorkflow;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LagSample;
import io.romadr.backup.LagSummary;
import io.romadr.backup.LagSummaryRequest;
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
 * {@code backups list}, the metrics and the weekly verification. {@code lag/<plan>/git-runs.json}: when each git
 * mirror committed, the intervals git is measured by when no push event was (docs/backups.md, "Measured RPO").
 */
final class StoreBackupLag {
    /** The kind under which the committed git mirrors are kept ({@link #recordGitRun}). */
    static final String GIT_RUNS = "git-runs";
    /** The workflow ids of mirrors run by push events ({@link BackupEventsWorkflow#workflowId} and a suffix). */
    static final String EVENT_RUNS = BackupEventsWorkflow.workflowId("git", "");
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
        try (ObjectStore store = stores.apply(spec)) {
            store.put(LagHistory.key(plan, kind), JSON.writeValueAsBytes(new LagHistory(plan, kind, kept)));
        }
    }

    /** The recorded samples, oldest first; none when nothing was recorded. */
    LagHistory read(BackupStore spec, String plan, String kind) throws IOException {
        String key = LagHistory.key(plan, kind);
        try (ObjectStore store = stores.apply(spec)) {
            if (store.stat(key).isEmpty()) {
                return new LagHistory(plan, kind, List.of());
            }
            try (InputStream in = store.open(key)) {
                return JSON.readValue(in, LagHistory.class);
            }
        }
    }

    /**
     * The measured lag of the request's kind since its {@code since}: its event samples when there are any in the
     * window (basis {@code events}); else the intervals between its committed backups, {@code committed} (epoch ms,
     * any order; basis {@code interval}, see {@link #intervals}). None of either: a summary of no samples.
     */
    LagSummary summary(LagSummaryRequest request, long now, List<Long> committed) throws IOException {
        List<LagSample> window = read(request.store(), request.plan(), request.kind()).samples().stream()
                .filter(s -> s.committedAt() >= request.since()).toList();
        if (!window.isEmpty()) {
            return summarise(request.plan(), request.kind(), LagSummary.EVENTS, request.since(), window);
        }
        return intervals(request.plan(), request.kind(), request.since(), now, committed);
    }

    /**
     * Every committed git mirror (scheduled or from events) as one sample of {@code git-runs}, its source
     * {@code changed} when it moved the backups' refs ({@code previous}, the record before it, differs; none: the
     * first) and {@code quiet} otherwise. Idempotent: one sample per workflow run, the first call's verdict kept.
     */
    void recordGitRun(BackupStore spec, GitMirrorRecord previous, GitMirrorRecord mirror) throws IOException {
        boolean changed = previous == null || !previous.refs().equals(mirror.refs());
        record(spec, mirror.plan(), GIT_RUNS, List.of(new LagSample("mirror", changed ? "changed" : "quiet",
                mirror.mirroredAt(), mirror.mirroredAt(), mirror.workflowId())));
    }

    /**
     * Git's measured lag since {@code since}: the push events' samples, plus one sample per mirror NOT run by push
     * events that moved the backups (a push the events missed: it waited at most since the previous mirror run,
     * which is its sample). Basis {@code events} when any push event was measured, {@code interval} when only such
     * missed pushes were, {@link LagSummary#QUIET} when mirrors ran and none had anything to carry, and no samples
     * when no mirror ran in the window at all.
     */
    LagSummary gitSummary(LagSummaryRequest request) throws IOException {
        List<LagSample> samples = new ArrayList<>(read(request.store(), request.plan(), request.kind()).samples()
                .stream().filter(s -> s.committedAt() >= request.since()).toList());
        boolean events = !samples.isEmpty();
        List<LagSample> runs = new ArrayList<>(read(request.store(), request.plan(), GIT_RUNS).samples());
        runs.sort(Comparator.comparingLong(LagSample::committedAt));
        boolean ranInWindow = false;
        for (int i = 0; i < runs.size(); i++) {
            LagSample run = runs.get(i);
            if (run.committedAt() < request.since()) {
                continue;
            }
            ranInWindow = true;
            if (i > 0 && run.source().equals("changed") && !run.workflowId().startsWith(EVENT_RUNS)) {
                samples.add(new LagSample("missed-push", "schedule", runs.get(i - 1).committedAt(),
                        run.committedAt(), run.workflowId()));
            }
        }
        if (!samples.isEmpty()) {
            return summarise(request.plan(), request.kind(), events ? LagSummary.EVENTS : LagSummary.INTERVAL,
                    request.since(), samples);
        }
        return LagSummary.none(request.plan(), request.kind(), ranInWindow ? LagSummary.QUIET : LagSummary.INTERVAL,
                request.since());
    }

    /**
     * A kind backed up on a schedule: what a loss would have cost is the time since the previous backup, so each
     * interval between two committed backups that ended at or after {@code since} is a sample, and so is the open
     * interval, from the newest backup to {@code now} (a backup that stopped shows at once in p99 and maximum).
     * {@code last} is the newest closed interval (the open one when there is none).
     */
    static LagSummary intervals(String plan, String kind, long since, long now, List<Long> committed) {
        long[] times = committed.stream().mapToLong(Long::longValue).sorted().toArray();
        if (times.length == 0) {
            return LagSummary.none(plan, kind, LagSummary.INTERVAL, since);
        }
        List<Long> lags = new ArrayList<>();
        long last = -1;
        long lastAt = 0;
        for (int i = 1; i < times.length; i++) {
            if (times[i] >= since) {
                last = times[i] - times[i - 1];
                lastAt = times[i];
                lags.add(last);
            }
        }
        long open = Math.max(0, now - times[times.length - 1]);
        lags.add(open);
        if (last < 0) {
            last = open;
            lastAt = now;
        }
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        return new LagSummary(plan, kind, LagSummary.INTERVAL, since, sorted.length, percentile(sorted, 50),
                percentile(sorted, 99), sorted[sorted.length - 1], last, lastAt);
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
