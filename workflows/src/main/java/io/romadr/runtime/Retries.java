package io.romadr.runtime;

import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * The one retry policy of every workflow's activity stubs: from 1 s doubling to a ceiling, a number of attempts in
 * all; bad input (IllegalArgumentException) is not retried, since it does not get better.
 */
public final class Retries {
    private Retries() {
    }

    /** {@code attempts} in all, backing off from 1 s doubling to 30 s. */
    public static RetryOptions of(int attempts) {
        return of(attempts, Duration.ofSeconds(30));
    }

    /** {@code attempts} in all, backing off from 1 s doubling to {@code maxInterval}. */
    public static RetryOptions of(int attempts, Duration maxInterval) {
        return RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(2)
                .setMaximumInterval(maxInterval).setMaximumAttempts(attempts)
                .setDoNotRetry(IllegalArgumentException.class.getName()).build();
    }
}
