package io.romadr.worker.host;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The git push webhook's replay memory. A forge's signature has no timestamp, so a captured request stays valid
 * forever: a delivery id, or a body (by digest), seen within the window is a replay. Two different pushes never have
 * the same body (their before/after commits differ), so the body digest also catches a replay under a new delivery
 * id. Holds at most {@code maxRemembered} entries (about 100 bytes each); beyond that, new requests get 503 until
 * old ones leave the window.
 */
final class GitDeliveries {
    private final Duration window;
    private final int maxRemembered;
    private final Clock clock;
    /** {@code d:<forge>:<delivery>} or {@code b:<body sha256>} to the epoch ms it leaves the window. */
    private final Map<String, Long> seen = new HashMap<>();

    GitDeliveries(Duration window, int maxRemembered, Clock clock) {
        if (window.isNegative() || window.isZero() || window.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("webhooks.git.replayWindow: must be longer than zero and at most 1d,"
                    + " got " + window);
        }
        this.window = window;
        this.maxRemembered = maxRemembered;
        this.clock = clock;
    }

    /** A claimed delivery; {@link #release} when what it asked for did not happen, so the forge's retry may. */
    final class Claim {
        private final String delivery;
        private final String body;

        private Claim(String delivery, String body) {
            this.delivery = delivery;
            this.body = body;
        }

        void release() {
            synchronized (GitDeliveries.this) {
                if (delivery != null) {
                    seen.remove(delivery);
                }
                seen.remove(body);
            }
        }
    }

    /** Remembers the delivery and the body; 409 when either was seen within the window. */
    synchronized Claim claim(String forge, String delivery, String bodySha256) {
        long now = clock.millis();
        String d = delivery == null || delivery.isBlank() ? null : "d:" + forge + ":" + delivery;
        String b = "b:" + bodySha256;
        if (within(d, now) || within(b, now)) {
            throw WebhookException.replayed();
        }
        if (seen.size() + 2 > maxRemembered) {
            seen.values().removeIf(expiry -> expiry <= now);
            if (seen.size() + 2 > maxRemembered) {
                throw WebhookException.unavailable("too many git push deliveries within the replay window; retry"
                        + " later");
            }
        }
        long expiry = now + window.toMillis();
        if (d != null) {
            seen.put(d, expiry);
        }
        seen.put(b, expiry);
        return new Claim(d, b);
    }

    private boolean within(String key, long now) {
        Long expiry = key == null ? null : seen.get(key);
        return expiry != null && expiry > now;
    }
}
