package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import io.romadr.activities.notify.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generic webhook's signature: {@code X-Roma-Signature: sha256=<hex HMAC-SHA256>} over
 * {@code <timestamp>.<body>}, where {@code X-Roma-Timestamp} (unix seconds, at most 12 digits) must be within the
 * replay window of this host's clock. The timestamp is required unless {@code requireTimestamp: false}; then a
 * request without it is signed over the raw body and has no replay protection. A signed request is remembered until
 * its timestamp leaves the window ({@link Accepted#claim}), so a replay inside the window starts nothing; the memory
 * holds at most {@code maxRemembered} signatures (beyond that, new requests get 503 until old ones expire).
 * Compared in constant time.
 */
public final class HmacVerifier {
    public static final String SIGNATURE_HEADER = "X-Roma-Signature";
    public static final String TIMESTAMP_HEADER = "X-Roma-Timestamp";
    private static final String PREFIX = "sha256=";
    /** Unix seconds: 12 digits reach the year 33658, and no arithmetic on them can overflow a long. */
    private static final java.util.regex.Pattern SECONDS = java.util.regex.Pattern.compile("[0-9]{1,12}");

    private final Optional<Secret> secret;
    private final Duration replayWindow;
    private final boolean requireTimestamp;
    private final int maxRemembered;
    private final Clock clock;
    /** Signature (hex) to the epoch second after which its timestamp is outside the window. */
    private final ConcurrentHashMap<String, Long> seen = new ConcurrentHashMap<>();

    public HmacVerifier(Optional<Secret> secret, Duration replayWindow, boolean requireTimestamp, int maxRemembered,
            Clock clock) {
        if (replayWindow.isNegative() || replayWindow.isZero() || replayWindow.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("webhooks.generic.replayWindow: must be longer than zero and at most"
                    + " 1d, got " + replayWindow);
        }
        this.secret = secret;
        this.replayWindow = replayWindow;
        this.requireTimestamp = requireTimestamp;
        this.maxRemembered = maxRemembered;
        this.clock = clock;
    }

    public boolean configured() {
        return secret.isPresent();
    }

    /** A request whose signature is good; {@link #claim} before acting on it. */
    public final class Accepted {
        private final String signature;
        private final Long timestamp;

        private Accepted(String signature, Long timestamp) {
            this.signature = signature;
            this.timestamp = timestamp;
        }

        /** Remembers the signature until it leaves the window; 409 when it was claimed before. */
        public void claim() {
            if (timestamp == null) {
                return;
            }
            long now = clock.instant().getEpochSecond();
            if (seen.size() >= maxRemembered) {
                seen.values().removeIf(expiry -> expiry < now);
                if (seen.size() >= maxRemembered) {
                    throw WebhookException.unavailable("too many signed requests within the replay window; retry "
                            + "later");
                }
            }
            if (seen.putIfAbsent(signature, timestamp + replayWindow.toSeconds()) != null) {
                throw WebhookException.replayed();
            }
        }

        /** Forgets the claim: what it asked for did not happen (e.g. Temporal unavailable), so a retry may. */
        public void release() {
            if (timestamp != null) {
                seen.remove(signature);
            }
        }
    }

    public Accepted verify(byte[] body, String signature, String timestamp) {
        if (secret.isEmpty()) {
            throw WebhookException.unauthorized("no HMAC secret is configured for this webhook");
        }
        if (signature == null || !signature.strip().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw WebhookException.unauthorized(SIGNATURE_HEADER + " must be sha256=<hex HMAC-SHA256>");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signature.strip().substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw WebhookException.unauthorized(SIGNATURE_HEADER + " is not hex");
        }
        byte[] signed = body;
        Long at = null;
        if (timestamp == null || timestamp.isBlank()) {
            if (requireTimestamp) {
                throw WebhookException.unauthorized(TIMESTAMP_HEADER + " (unix seconds) is required; sign "
                        + "<timestamp>.<body>");
            }
        } else {
            String ts = timestamp.strip();
            if (!SECONDS.matcher(ts).matches()) {
                throw WebhookException.unauthorized(TIMESTAMP_HEADER + " must be unix seconds (1 to 12 digits)");
            }
            at = Long.parseLong(ts);
            long skew = Math.abs(clock.instant().getEpochSecond() - at);
            if (skew > replayWindow.toSeconds()) {
                throw WebhookException.unauthorized(TIMESTAMP_HEADER + " is outside the replay window of "
                        + replayWindow.toSeconds() + "s");
            }
            byte[] prefix = (ts + ".").getBytes(StandardCharsets.US_ASCII);
            signed = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
        }
        if (!MessageDigest.isEqual(WebhookSignature.hmacSha256(secret.get().bytes(), signed), given)) {
            throw WebhookException.unauthorized("signature mismatch");
        }
        return new Accepted(HexFormat.of().formatHex(given), at);
    }
}
