package io.romadr.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The alert's time as Alertmanager writes it ({@code startsAt}, RFC 3339 with up to nanoseconds). */
class TriggeredRecoveriesTest {

    @Test
    void alertmanagersStartsAtIsReadToTheMillisecondAndAnythingElseIsZero() {
        assertEquals(Instant.parse("2026-12-07T06:10:00.123Z").toEpochMilli(),
                TriggeredRecoveries.millis("2026-12-07T06:10:00.123456789Z"));
        assertEquals(Instant.parse("2026-12-07T05:10:00Z").toEpochMilli(),
                TriggeredRecoveries.millis("2026-12-07T06:10:00+01:00"));
        assertEquals(0, TriggeredRecoveries.millis(""));
        assertEquals(0, TriggeredRecoveries.millis(null));
        assertEquals(0, TriggeredRecoveries.millis("yesterday"));
    }
}
