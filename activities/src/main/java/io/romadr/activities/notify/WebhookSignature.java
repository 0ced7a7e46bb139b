package io.romadr.activities.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature roma-dr's own {@code /webhooks/recover} verifies (the worker's {@code HmacVerifier}), so one roma-dr
 * can notify another: {@code X-Roma-Signature: sha256=<hex HMAC-SHA256>} over {@code <timestamp>.<body>}, with
 * {@code X-Roma-Timestamp} in unix seconds.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Roma-Signature";
    public static final String TIMESTAMP_HEADER = "X-Roma-Timestamp";

    private WebhookSignature() {
    }

    /** The {@value #SIGNATURE_HEADER} value for {@code body} sent at {@code epochSeconds}. */
    public static String header(byte[] key, long epochSeconds, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmacSha256(key, signed(epochSeconds, body)));
    }

    /** What is signed: {@code <timestamp>.<body>}. */
    public static byte[] signed(long epochSeconds, byte[] body) {
        byte[] prefix = (epochSeconds + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return signed;
    }

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
