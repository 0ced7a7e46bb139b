package io.romadr.activities.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void largestUnitAndTheNext() {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("45s", Durations.format(Duration.ofSeconds(45)));
        assertEquals("5m", Durations.format(Duration.ofMinutes(5)));
        assertEquals("3h 10m", Durations.format(Duration.ofMinutes(190)));
        assertEquals("2d 1h", Durations.format(Duration.ofHours(49).plusMinutes(30)));
    }
}
