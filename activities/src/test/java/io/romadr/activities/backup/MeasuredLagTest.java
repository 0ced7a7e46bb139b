package io.romadr.activities.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectStores;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.GitMirrorRecord;
import io.romadr.backup.LagHistory;
import io.romadr.backup.LagSample;
import io.romadr.backup.LagSummary;
import io.romadr.backup.LagSummaryRequest;
import io.romadr.backup.RecordGitMirrorRequest;
import io.romadr.backup.RecordLagRequest;
import io.romadr.plan.BackupStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measured lags in a real local store: events (percentiles, the window), intervals of scheduled kinds from their
 * manifests (closed and open intervals), git measured by its mirror runs when no push was measured.
 */
class MeasuredLagTest {
    private static final long HOUR = 3_600_000L;
    private static final long NOW = 1_000 * HOUR;

    @TempDir
    Path dir;
    private BackupStore store;
    private DockerBackupActivities activities;

    @BeforeEach
    void store() {
        store = new BackupStore(dir.toUri().toString(), null, null, null);
        activities = new DockerBackupActivities(null, s -> {
            try {
                return ObjectStores.open(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] hundred = LongStream.rangeClosed(1, 100).toArray();
        assertEquals(50, StoreBackupLag.percentile(hundred, 50));
        assertEquals(99, StoreBackupLag.percentile(hundred, 99));
        assertEquals(7, StoreBackupLag.percentile(new long[]{7}, 99));
        assertEquals(2, StoreBackupLag.percentile(new long[]{1, 2}, 99));
    }

    @Test
    void eventsInTheWindowAreSummarisedAndOlderOnesLeftOut() {
        List<LagSample> samples = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            long committed = NOW - HOUR + i * 1000L;
            samples.add(new LagSample("push-" + i, "github", committed - i * 100L, committed, "wf-1"));
        }
        // Older than the window: a huge lag that must not count.
        samples.add(new LagSample("old", "github", NOW - 300 * HOUR, NOW - 200 * HOUR, "wf-0"));
        activities.recordLag(new RecordLagRequest(store, "roma", "git", samples));

        LagSummary lag = activities.lagSummary(new LagSummaryRequest(store, "roma", "git", NOW - 168 * HOUR));

        assertEquals(LagSummary.EVENTS, lag.basis());
        assertEquals(100, lag.samples());
        assertEquals(5_000, lag.p50Millis());
        assertEquals(9_900, lag.p99Millis());
        assertEquals(10_000, lag.maxMillis());
        assertEquals(10_000, lag.lastMillis()); // the newest committed: push-100
        assertEquals(NOW - HOUR + 100_000, lag.lastAt());
    }

    @Test
    void aScheduledKindIsMeasuredByTheIntervalsBetweenItsBackupsAndTheOpenOne() throws IOException {
        // Hourly snapshots, one missed (a 2 h interval), the newest 30 min ago; before them one 12 days old, and one
        // older still whose interval to it ended before the window.
        long[] created = {NOW - 400 * HOUR, NOW - 288 * HOUR, NOW - 5 * HOUR - 1800_000, NOW - 4 * HOUR - 1800_000,
                NOW - 2 * HOUR - 1800_000, NOW - HOUR - 1800_000, NOW - 1800_000};
        for (long at : created) {
            manifest(store, BackupKind.STATE, at);
        }

        LagSummary lag = activities.lagSummary(new LagSummaryRequest(store, "roma", "state", NOW - 168 * HOUR));

        assertEquals(LagSummary.INTERVAL, lag.basis());
        // In the window: the 282.5 h gap that ended 5.5 h ago (a real exposure), 1 h, 2 h, 1 h, 1 h and the open
        // 30 min; the 112 h interval that ended 288 h ago is out.
        assertEquals(6, lag.samples());
        assertEquals(HOUR, lag.p50Millis());
        assertEquals(282 * HOUR + 1800_000, lag.maxMillis());
        assertEquals(282 * HOUR + 1800_000, lag.p99Millis());
        assertEquals(HOUR, lag.lastMillis());
        assertEquals(NOW - 1800_000, lag.lastAt());
    }

    @Test
    void aBackupThatStoppedShowsAsTheOpenInterval() throws IOException {
        manifest(store, BackupKind.ARTIFACTS, NOW - 400 * HOUR);

        LagSummary lag = activities.lagSummary(new LagSummaryRequest(store, "roma", "artifacts", NOW - 168 * HOUR));

        assertEquals(1, lag.samples());
        assertEquals(400 * HOUR, lag.maxMillis());
        assertEquals(400 * HOUR, lag.lastMillis());
    }

    @Test
    void secretsAreReadFromTheirOwnStoreAndTheirEventsWinOverTheSchedule(@TempDir Path secretsDir)
            throws IOException {
        BackupStore secretsStore = new BackupStore(secretsDir.toUri().toString(), null, null, null);
        manifest(secretsStore, BackupKind.SECRETS, NOW - 48 * HOUR);
        manifest(secretsStore, BackupKind.SECRETS, NOW - 24 * HOUR);
        LagSummaryRequest request = new LagSummaryRequest(store, "roma", "secrets", NOW - 168 * HOUR, secretsStore);

        LagSummary scheduled = activities.lagSummary(request);
        assertEquals(LagSummary.INTERVAL, scheduled.basis());
        assertEquals(24 * HOUR, scheduled.maxMillis());

        activities.recordLag(new RecordLagRequest(store, "roma", "secrets",
                List.of(new LagSample("roma/app@7", "vault", NOW - 70_000, NOW - 10_000, "watch"))));
        LagSummary watched = activities.lagSummary(request);
        assertEquals(LagSummary.EVENTS, watched.basis());
        assertEquals(1, watched.samples());
        assertEquals(60_000, watched.maxMillis());
    }

    @Test
    void gitMirrorsThatCarriedAPushTheEventsMissedAreMeasuredAndARetriedRecordCountsOnce() {
        // Four scheduled runs 15 min apart: the first records the refs, the second finds them equal, the third
        // carries a push (it waited at most since the second), the fourth is equal again.
        List<Map<String, String>> refs = List.of(Map.of("refs/heads/main", "a"), Map.of("refs/heads/main", "a"),
                Map.of("refs/heads/main", "b"), Map.of("refs/heads/main", "b"));
        for (int i = 0; i < 4; i++) {
            GitMirrorRecord run = new GitMirrorRecord("roma", "backup-git-roma-" + i, NOW - (4 - i) * 900_000L,
                    refs.get(i));
            activities.recordGitMirror(new RecordGitMirrorRequest(store, run));
            activities.recordGitMirror(new RecordGitMirrorRequest(store, run)); // a retry: same verdict, once
        }

        LagSummary lag = activities.lagSummary(new LagSummaryRequest(store, "roma", "git", NOW - 168 * HOUR));

        assertEquals(LagSummary.INTERVAL, lag.basis());
        assertEquals(1, lag.samples(), "only the run that carried a push is a sample");
        assertEquals(900_000, lag.maxMillis());
    }

    @Test
    void gitMirrorsThatFoundNothingToCarryAreQuietAndRunsOfPushEventsAreNotCountedTwice() {
        activities.recordGitMirror(new RecordGitMirrorRequest(store, new GitMirrorRecord("roma", "backup-git-roma-0",
                NOW - 3_600_000L, Map.of("refs/heads/main", "a"))));
        // A push event's run moves the refs: its lag is the event's sample, not the time since the last mirror.
        activities.recordGitMirror(new RecordGitMirrorRequest(store, new GitMirrorRecord("roma",
                "backup-events-git-roma-1", NOW - 1_800_000L, Map.of("refs/heads/main", "b"))));
        activities.recordGitMirror(new RecordGitMirrorRequest(store, new GitMirrorRecord("roma", "backup-git-roma-2",
                NOW - 900_000L, Map.of("refs/heads/main", "b"))));

        LagSummary quiet = activities.lagSummary(new LagSummaryRequest(store, "roma", "git", NOW - 168 * HOUR));
        assertEquals(LagSummary.QUIET, quiet.basis());
        assertEquals(0, quiet.samples());

        activities.recordLag(new RecordLagRequest(store, "roma", "git", List.of(new LagSample("push-1", "github",
                NOW - 1_803_000L, NOW - 1_800_000L, "backup-events-git-roma"))));
        LagSummary events = activities.lagSummary(new LagSummaryRequest(store, "roma", "git", NOW - 168 * HOUR));
        assertEquals(LagSummary.EVENTS, events.basis());
        assertEquals(1, events.samples());
        assertEquals(3_000, events.maxMillis());
    }

    @Test
    void imagesWithoutPushEventsAreMeasuredByTheIntervalsBetweenTheirMirrorRuns() {
        List<LagSample> runs = List.of(new LagSample("mirror", "schedule", NOW - 2 * HOUR, NOW - 2 * HOUR, "i-1"),
                new LagSample("mirror", "schedule", NOW - HOUR, NOW - HOUR, "i-2"));
        activities.recordLag(new RecordLagRequest(store, "roma", LagHistory.IMAGE_RUNS, runs));
        activities.recordLag(new RecordLagRequest(store, "roma", LagHistory.IMAGE_RUNS, runs)); // a retry

        LagSummary lag = activities.lagSummary(new LagSummaryRequest(store, "roma", "images", NOW - 168 * HOUR));

        assertEquals(LagSummary.INTERVAL, lag.basis());
        assertEquals(2, lag.samples(), "the hour between the runs and the open hour since the last");
        assertEquals(HOUR, lag.maxMillis());
    }

    @Test
    void aKindWithNeitherEventsNorRunsHasNoSamples() {
        LagSummary lag = activities.lagSummary(new LagSummaryRequest(store, "roma", "images", NOW - 168 * HOUR));

        assertEquals(0, lag.samples());
        assertEquals(LagSummary.INTERVAL, lag.basis());
    }

    private static void manifest(BackupStore in, BackupKind kind, long createdAt) throws IOException {
        String key = BackupKeys.objectKey(kind, "roma", createdAt, "wf-" + createdAt);
        BackupManifest m = new BackupManifest(BackupManifest.FORMAT, kind, "roma", key, "00", 1, 1, 1, "test",
                createdAt, "wf-" + createdAt, List.of(), List.of(), List.of());
        try (ObjectStore store = ObjectStores.open(in)) {
            store.put(m.manifestKey(), BackupJson.write(m));
        }
    }
}
