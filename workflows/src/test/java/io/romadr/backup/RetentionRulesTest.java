package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.RetentionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RetentionRulesTest {
    private static final long NOW = Instant.parse("2026-11-26T12:30:00Z").toEpochMilli();
    private static final long H = Duration.ofHours(1).toMillis();
    private static final long D = Duration.ofDays(1).toMillis();

    private static Map<String, RetentionDecision> byKey(List<RetentionDecision> ds) {
        return ds.stream().collect(Collectors.toMap(RetentionDecision::objectKey, Function.identity()));
    }

    /** Two snapshots an hour (at :10 and :40) for 120 days, with the seed's rule: hourly 7 d + daily 90 d. */
    @Test
    void seedStateRuleKeepsOnePerHourForAWeekAndOnePerDayForNinetyDays() {
        List<BackupManifest> ms = new ArrayList<>();
        long start = Instant.parse("2026-07-29T00:10:00Z").toEpochMilli();
        for (long t = start; t <= NOW; t += 30 * 60_000L) {
            ms.add(BackupFixtures.manifest(BackupKind.STATE, t, "r" + t));
        }
        RetentionSpec.Rule seed = RetentionSpec.SEED.state();
        List<RetentionDecision> ds = RetentionRules.decide(BackupKind.STATE, ms, NOW, seed, null);
        assertEquals(ms.size(), ds.size());
        long kept = ds.stream().filter(RetentionDecision::keep).count();
        // 7 days of hours (168, plus the partial hour at either end) and one per day for the rest of 90 days.
        assertTrue(kept >= 168 + 82 && kept <= 169 + 84, "kept " + kept);

        Map<String, RetentionDecision> d = byKey(ds);
        // Within the week, the :40 snapshot of an hour supersedes the :10 one.
        long threeDaysAgo = Instant.parse("2026-11-23T09:10:00Z").toEpochMilli();
        assertFalse(d.get(BackupFixtures.manifest(BackupKind.STATE, threeDaysAgo, "r" + threeDaysAgo).objectKey())
                .keep());
        RetentionDecision later = d.get(BackupFixtures.manifest(BackupKind.STATE, threeDaysAgo + 30 * 60_000L,
                "r" + (threeDaysAgo + 30 * 60_000L)).objectKey());
        assertTrue(later.keep());
        assertTrue(later.reason().contains("newest of hour 2026-11-23T09Z"), later.reason());
        // Twenty days ago only the day's last snapshot (23:40) survives.
        long dayStart = Instant.parse("2026-11-06T00:10:00Z").toEpochMilli();
        for (long t = dayStart; t < dayStart + D; t += 30 * 60_000L) {
            RetentionDecision x = d.get(BackupFixtures.manifest(BackupKind.STATE, t, "r" + t).objectKey());
            boolean last = t == dayStart + 23 * H + 30 * 60_000L;
            assertEquals(last, x.keep(), Instant.ofEpochMilli(t) + ": " + x.reason());
        }
        // Beyond 90 days nothing is kept.
        long old = start + 2 * H;
        RetentionDecision gone = d.get(BackupFixtures.manifest(BackupKind.STATE, old, "r" + old).objectKey());
        assertFalse(gone.keep());
        assertTrue(gone.reason().startsWith("older than every window"), gone.reason());
    }

    @Test
    void keepLastKeepsTheNewestN() {
        List<BackupManifest> ms = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            ms.add(BackupFixtures.manifest(BackupKind.SECRETS, NOW - i * D, "s" + i));
        }
        List<RetentionDecision> ds = RetentionRules.decide(BackupKind.SECRETS, ms, NOW, RetentionSpec.SEED.secrets(),
                null);
        assertEquals(10, ds.stream().filter(RetentionDecision::keep).count());
        assertTrue(ds.subList(0, 10).stream().allMatch(RetentionDecision::keep), "newest first, newest kept");
        assertEquals("one of the newest 10", ds.get(0).reason());
    }

    @Test
    void newestVerifiedBackupIsKeptWhateverTheClockSays() {
        // The worker clock jumped a year ahead: every backup is "expired".
        long future = NOW + 365 * D;
        List<BackupManifest> ms = List.of(BackupFixtures.manifest(BackupKind.ARTIFACTS, NOW - 2 * D, "a"),
                BackupFixtures.manifest(BackupKind.ARTIFACTS, NOW - D, "b"),
                BackupFixtures.manifest(BackupKind.ARTIFACTS, NOW, "c"));
        // The newest ("c") is corrupt, so "b" is the newest good one.
        List<RetentionDecision> ds = RetentionRules.decide(BackupKind.ARTIFACTS, ms, future,
                RetentionSpec.SEED.artifacts(), ms.get(1).objectKey());
        Map<String, RetentionDecision> d = byKey(ds);
        assertTrue(d.get(ms.get(1).objectKey()).keep());
        assertTrue(d.get(ms.get(1).objectKey()).reason().contains("newest verified backup"));
        assertFalse(d.get(ms.get(0).objectKey()).keep());
        assertFalse(d.get(ms.get(2).objectKey()).keep());
    }

    @Test
    void backupsFromTheFutureAreKept() {
        List<BackupManifest> ms = List.of(BackupFixtures.manifest(BackupKind.SECRETS, NOW + H, "f"),
                BackupFixtures.manifest(BackupKind.SECRETS, NOW - H, "p"),
                BackupFixtures.manifest(BackupKind.SECRETS, NOW - 2 * H, "q"));
        List<RetentionDecision> ds = RetentionRules.decide(BackupKind.SECRETS, ms, NOW,
                new RetentionSpec.Rule(null, null, 1), null);
        assertTrue(ds.get(0).keep());
        assertTrue(ds.get(0).reason().contains("in the future"), ds.get(0).reason());
        assertFalse(ds.get(1).keep(), "keepLast 1 is used up by the future one");
        assertFalse(ds.get(2).keep());
    }
}
