package io.romadr.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MeasuredRpoTest {
    private static final Duration RPO = Duration.ZERO;
    private static final Duration LIMIT = Duration.ofMinutes(1);

    @Test
    void aQuietGitWeekMeetsTheRpoButNoMirrorAtAllIsMissing() {
        VerificationRow quiet = MeasuredRpo.row("git", LagSummary.none("roma", "git", LagSummary.QUIET, 0), RPO,
                LIMIT);
        assertEquals(VerificationStatus.OK, quiet.status(), quiet.toString());
        assertTrue(quiet.evidence().contains("found the backups equal"), quiet.evidence());
        assertEquals("OK", MeasuredRpo.catalogLine("git", LagSummary.none("roma", "git", LagSummary.QUIET, 0), RPO,
                LIMIT).status());

        VerificationRow none = MeasuredRpo.row("git", LagSummary.none("roma", "git", LagSummary.INTERVAL, 0), RPO,
                LIMIT);
        assertEquals(VerificationStatus.MISSING, none.status(), none.toString());
    }

    @Test
    void aPushThatWaitedLongerThanTheLimitIsStale() {
        LagSummary missed = new LagSummary("roma", "git", LagSummary.INTERVAL, 0, 1, 900_000, 900_000, 900_000,
                900_000, 1);
        assertEquals(VerificationStatus.STALE, MeasuredRpo.row("git", missed, RPO, LIMIT).status());
        LagSummary pushes = new LagSummary("roma", "git", LagSummary.EVENTS, 0, 50, 2_000, 9_000, 9_500, 3_000, 1);
        assertEquals(VerificationStatus.OK, MeasuredRpo.row("git", pushes, RPO, LIMIT).status());
    }
}
