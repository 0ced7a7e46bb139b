package io.romadr.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where the RTO clock starts, and the guards on a detection time that cannot be used as given. */
class IncidentTimesTest {
    private static final long REQUESTED = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();
    private static final long FIRST_STEP = REQUESTED + 90_000;

    @Test
    void noDetectionTimeCountsFromTheRequest() {
        IncidentTimes t = IncidentTimes.of(null, REQUESTED, FIRST_STEP);
        assertNull(t.detectedAt());
        assertEquals(REQUESTED, t.clockStart());
        assertEquals(90_000, t.queueWaitMillis());
        assertEquals("", t.note());
        assertEquals(REQUESTED, IncidentTimes.of(" ", REQUESTED, FIRST_STEP).clockStart());
    }

    @Test
    void anEarlierDetectionTimeStartsTheClockInAnyOffset() {
        IncidentTimes t = IncidentTimes.of("2026-12-07T13:55:30.250+02:00", REQUESTED, FIRST_STEP);
        long detected = Instant.parse("2026-12-07T11:55:30.250Z").toEpochMilli();
        assertEquals(detected, t.detectedAt());
        assertEquals(detected, t.clockStart());
        assertEquals("", t.note());
        // Alertmanager's nanoseconds
        assertEquals(REQUESTED - 1, IncidentTimes.of("2026-12-07T11:59:59.999999999Z", REQUESTED, FIRST_STEP)
                .clockStart());
    }

    @Test
    void aDetectionTimeAfterTheRequestCountsFromTheRequest() {
        IncidentTimes t = IncidentTimes.of("2026-12-07T12:00:05Z", REQUESTED, FIRST_STEP);
        assertNull(t.detectedAt());
        assertEquals(REQUESTED, t.clockStart());
        assertTrue(t.note().contains("after the request") && t.note().contains("clock skew"), t.note());
    }

    @Test
    void anUnparseableDetectionTimeCountsFromTheRequestAndIsQuotedShort() {
        IncidentTimes t = IncidentTimes.of("yesterday at noon\n" + "x".repeat(100), REQUESTED, FIRST_STEP);
        assertNull(t.detectedAt());
        assertEquals(REQUESTED, t.clockStart());
        assertTrue(t.note().startsWith("detection time \"yesterday at noon x"), t.note());
        assertTrue(t.note().contains("...\" is not an RFC 3339 time"), t.note());
    }

    @Test
    void aVeryOldDetectionTimeCountsAsGivenAndIsNoted() {
        long detected = REQUESTED - Duration.ofDays(3).toMillis();
        IncidentTimes t = IncidentTimes.of(Instant.ofEpochMilli(detected).toString(), REQUESTED, FIRST_STEP);
        assertEquals(detected, t.clockStart());
        assertTrue(t.note().startsWith("detected 3d before the request (more than 1d)"), t.note());
    }

    @Test
    void theMarkdownShowsEveryPartAndWhatEachTook() {
        long detected = REQUESTED - 30_000;
        IncidentTimes t = IncidentTimes.of(Instant.ofEpochMilli(detected).toString(), REQUESTED, FIRST_STEP);
        Progress restored = new Progress("service-failure", "roma", Outcome.RUNNING, "watch", 1, t.clockStart(),
                900_000, false, FIRST_STEP + 4_000, java.util.List.of(), t);
        String md = ReportFormatter.markdown(restored);
        assertTrue(md.contains("| Detected | 2026-12-07 11:59:30 UTC | - |"), md);
        assertTrue(md.contains("| Requested | 2026-12-07 12:00:00 UTC | 00:30 (detection to request) |"), md);
        assertTrue(md.contains("| First step | 2026-12-07 12:01:30 UTC | 01:30 (queue wait) |"), md);
        assertTrue(md.contains("| Healthy | 2026-12-07 12:01:34 UTC | 00:04 (recovery) |"), md);
        assertTrue(md.contains("- **RTO Actual:** 02:04"), md);
        assertTrue(md.contains("- **RTO clock from:** 2026-12-07 11:59:30 UTC (the incident's detection)"), md);
    }
}
