package io.romadr.worker.host;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The generic webhook's signature: {@code X-Roma-Signature: sha256=<hex HMAC-SHA256>} over the raw body, or, when
 * {@code X-Roma-Timestamp} (unix seconds) is sent, over {@code <timestamp>.<body>}, and then the timestamp must be
 * within the replay window of this host's clock. Compared in constant time.
 */
public final class HmacVerifier {
    public static final String SIGNATURE_HEADER = "X-Roma-Signature";
    public static final String TIMESTAMP_HEADER = "X-Roma-Timestamp";
    private static final String PREFIX = "sha256=";

    private final Optional<Secret> secret;
    private final Duration replayWindow;
    private final Clock clock;

    public HmacVerifier(Optional<Secret> secret, Duration replayWindow, Clock clock) {
        this.secret = secret;
        this.replayWindow = replayWindow;
        this.clock = clock;
    }

    public boolean configured() {
        return secret.isPresent();
    }

    public void verify(byte[] body, String signature, String timestamp) {
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
        if (timestamp != null) {
            long at;
            try {
                at = Long.parseLong(timestamp.strip());
            } catch (NumberFormatException e) {
                throw WebhookException.unauthorized(TIMESTAMP_HEADER + " must be unix seconds");
            }
            long skew = Math.abs(clock.instant().getEpochSecond() - at);
            if (skew > replayWindow.toSeconds()) {
                throw WebhookException.unauthorized(TIMESTAMP_HEADER + " is outside the replay window of "
                        + replayWindow.toSeconds() + "s");
            }
            byte[] prefix = (timestamp.strip() + ".").getBytes(StandardCharsets.US_ASCII);
            signed = new byte[prefix.length + body.length];
            System.arraycopy(prefix, 0, signed, 0, prefix.length);
            System.arraycopy(body, 0, signed, prefix.length, body.length);
        }
        if (!MessageDigest.isEqual(sign(secret.get().bytes(), signed), given)) {
            throw WebhookException.unauthorized("signature mismatch");
        }
    }

    /** HMAC-SHA256 of {@code data}; also what a client computes (see docs/alert-webhooks.md). */
    public static byte[] sign(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
