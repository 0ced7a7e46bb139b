package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.romadr.activities.credentials.Secret;
import io.romadr.activities.notify.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What roma-dr's webhook channel signs, this host's /webhooks/recover accepts: one roma-dr can notify another. */
class WebhookSignatureCompatibilityTest {
    @Test
    void theWebhookChannelsSignatureVerifies() {
        Instant now = Instant.parse("2026-12-07T03:00:00Z");
        byte[] key = "shared-hmac-key".getBytes(StandardCharsets.UTF_8);
        var verifier = new HmacVerifier(Secret.resolve("key", null, "KEY", Map.of("KEY", "shared-hmac-key")),
                Duration.ofMinutes(5), true, 100, Clock.fixed(now, ZoneOffset.UTC));
        byte[] body = "{\"notice\":{\"event\":\"failed\"}}".getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(now.getEpochSecond());

        String signature = WebhookSignature.header(key, now.getEpochSecond(), body);

        assertNotNull(verifier.verify(body, signature, timestamp));
        byte[] tampered = "{\"notice\":{\"event\":\"recovered\"}}".getBytes(StandardCharsets.UTF_8);
        assertThrows(WebhookException.class, () -> verifier.verify(tampered, signature, timestamp));
    }
}
