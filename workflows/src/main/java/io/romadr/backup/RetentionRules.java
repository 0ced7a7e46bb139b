package io.romadr.backup;

import io.romadr.plan.RetentionSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides which backups of one kind to keep, from their manifests' creation times (never from store listing dates).
 * A backup is kept when it is the newest of its hour within {@code hourlyFor}, the newest of its UTC day within
 * {@code dailyFor}, among the newest {@code keepLast}, created in the future (a skewed clock must not delete
 * anything), or the newest verified backup of the kind, which is kept whatever the rule and the clock say.
 */
public final class RetentionRules {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    private RetentionRules() {
    }

    /**
     * @param newestGoodKey object key of the newest backup that verified, or null when none did
     * @return one decision per manifest, newest first
     */
    public static List<RetentionDecision> decide(BackupKind kind, List<BackupManifest> manifests, long now,
            RetentionSpec.Rule rule, String newestGoodKey) {
        List<BackupManifest> newestFirst = new ArrayList<>(manifests);
        newestFirst.sort(Comparator.comparingLong(BackupManifest::createdAt).reversed()
                .thenComparing(BackupManifest::objectKey, Comparator.reverseOrder()));
        Set<Long> hours = new HashSet<>();
        Set<Long> days = new HashSet<>();
        List<RetentionDecision> decisions = new ArrayList<>();
        int rank = 0;
        for (BackupManifest m : newestFirst) {
            rank++;
            long age = now - m.createdAt();
            List<String> keepBecause = new ArrayList<>();
            if (m.objectKey().equals(newestGoodKey)) {
                keepBecause.add("newest verified backup (always kept)");
            }
            if (age < 0) {
                keepBecause.add("created " + Duration.ofMillis(-age).toSeconds() + "s in the future (clock skew?)");
            }
            if (rank <= rule.keepLast()) {
                keepBecause.add("one of the newest " + rule.keepLast());
            }
            boolean inHourly = !rule.hourlyFor().isZero() && age >= 0 && age <= rule.hourlyFor().toMillis();
            boolean inDaily = !rule.dailyFor().isZero() && age >= 0 && age <= rule.dailyFor().toMillis();
            // A bucket is claimed by its newest backup; an older one in the same bucket is superseded.
            if (inHourly && hours.add(Math.floorDiv(m.createdAt(), HOUR_MS))) {
                keepBecause.add("newest of hour " + HOUR.format(Instant.ofEpochMilli(m.createdAt()))
                        + " (hourly for " + human(rule.hourlyFor()) + ")");
            }
            if (inDaily && days.add(Math.floorDiv(m.createdAt(), DAY_MS))) {
                keepBecause.add("newest of day " + DAY.format(Instant.ofEpochMilli(m.createdAt()))
                        + " (daily for " + human(rule.dailyFor()) + ")");
            }
            String reason;
            boolean keep = !keepBecause.isEmpty();
            if (keep) {
                reason = String.join("; ", keepBecause);
            } else if (inHourly || inDaily) {
                reason = "superseded by a newer backup of the same " + (inHourly ? "hour" : "day");
            } else {
                reason = "older than every window of the rule (" + describe(rule) + ")";
            }
            decisions.add(new RetentionDecision(kind, m.objectKey(), m.createdAt(), keep, reason));
        }
        return decisions;
    }

    static String describe(RetentionSpec.Rule rule) {
        List<String> parts = new ArrayList<>();
        if (!rule.hourlyFor().isZero()) {
            parts.add("hourly for " + human(rule.hourlyFor()));
        }
        if (!rule.dailyFor().isZero()) {
            parts.add("daily for " + human(rule.dailyFor()));
        }
        if (rule.keepLast() > 0) {
            parts.add("last " + rule.keepLast());
        }
        return String.join(", ", parts);
    }

    private static String human(Duration d) {
        if (d.toMillis() % DAY_MS == 0) {
            return d.toDays() + "d";
        }
        if (d.toMillis() % HOUR_MS == 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() + "m";
    }
}
