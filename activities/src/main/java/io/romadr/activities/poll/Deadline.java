package io.romadr.activities.poll;

import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * The end of a wait: the one way activities poll something until it is ready or the time is up. The loop stays at
 * the caller (what "ready" and "too late" mean differs); this holds the clock and the pause between polls.
 */
public final class Deadline {
    private final long endNanos;
    private final Duration timeout;

    private Deadline(Duration timeout) {
        this.timeout = timeout;
        this.endNanos = System.nanoTime() + timeout.toNanos();
    }

    public static Deadline after(Duration timeout) {
        return new Deadline(timeout);
    }

    /** What the wait was given, for messages ("not ready after 60 s"). */
    public Duration timeout() {
        return timeout;
    }

    public boolean passed() {
        return System.nanoTime() - endNanos > 0;
    }

    /** The time left, zero once passed. */
    public Duration left() {
        long left = endNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /** {@code interval}, or less if the deadline comes first. */
    public Duration next(Duration interval) {
        Duration left = left();
        return left.compareTo(interval) < 0 ? left : interval;
    }

    /** Sleeps {@code interval} between two polls; an interrupt (a cancelled activity) ends the wait. */
    public static void pause(Duration interval) throws InterruptedIOException {
        try {
            Thread.sleep(interval.toMillis(), (int) (interval.toNanos() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting");
        }
    }
}
