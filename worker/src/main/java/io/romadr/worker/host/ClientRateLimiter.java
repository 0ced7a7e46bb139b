package io.romadr.worker.host;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code burst} requests at once, refilled at {@code perSecond}. At most
 * {@code maxClients} buckets are kept; beyond that, full (idle) buckets are forgotten first, and if every bucket is in
 * use the new client waits like a limited one, so a flood of addresses cannot grow the map without bound.
 */
public final class ClientRateLimiter {
    private final double perSecond;
    private final int burst;
    private final int maxClients;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientRateLimiter(double perSecond, int burst, int maxClients, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxClients = maxClients;
        this.nanoTime = nanoTime;
    }

    /** Takes one token of {@code client}'s bucket: 0 when taken, else the milliseconds until one is there. */
    public long take(String client) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            if (buckets.size() >= maxClients) {
                buckets.values().removeIf(b -> b.full(now));
                if (buckets.size() >= maxClients) {
                    return (long) Math.ceil(1000 / perSecond);
                }
            }
            bucket = buckets.computeIfAbsent(client, c -> new Bucket(now));
        }
        return bucket.take(now);
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(long now) {
            this.tokens = burst;
            this.at = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond * 1000));
        }

        synchronized boolean full(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
            at = now;
        }
    }
}
