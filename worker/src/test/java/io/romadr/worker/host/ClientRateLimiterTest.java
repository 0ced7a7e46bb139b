package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves. */
class ClientRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void burstThenRefillAtTheRateWithTheWaitUntilTheNextToken() {
        ClientRateLimiter limiter = new ClientRateLimiter(2, 3, 100, nanos::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.take("a"));
        }
        assertEquals(500, limiter.take("a"));
        assertEquals(0, limiter.take("b"), "another client has its own bucket");
        nanos.addAndGet(250_000_000L);
        assertEquals(250, limiter.take("a"));
        nanos.addAndGet(250_000_000L);
        assertEquals(0, limiter.take("a"));
        nanos.addAndGet(10_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.take("a"), "refilled to the burst, not beyond");
        }
        assertEquals(500, limiter.take("a"));
    }

    @Test
    void atMostMaxClientsBucketsIdleOnesForgottenFirst() {
        ClientRateLimiter limiter = new ClientRateLimiter(1, 2, 2, nanos::get);
        assertEquals(0, limiter.take("a"));
        assertEquals(0, limiter.take("b"));
        assertEquals(1000, limiter.take("c"), "every bucket in use: the new client waits");
        nanos.addAndGet(1_000_000_000L); // a and b are full again: forgotten for c
        assertEquals(0, limiter.take("c"));
    }
}
