package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.romadr.activities.credentials.Secret;
import io.romadr.activities.notify.WebhookSignature;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * One git forge's push webhook, as {@link GitPushWebhookResource} needs it: whether a request is from this forge (its
 * event header), the proof that the sender knows the shared secret, the event's kind and the delivery id. To add a
 * forge, write one class implementing this and add it to {@link GitPushWebhookResource#FORGES}; the order there
 * matters where a forge also sends another's headers for compatibility (Forgejo sends Gitea's, Gitea GitHub's).
 */
interface GitForge {
    /** A request's headers by name (case-insensitive). */
    @FunctionalInterface
    interface Headers {
        String get(String name);
    }

    /** What a forge's event asks for: a push (mirror now), a ping (answer, start nothing) or anything else. */
    enum Kind {
        PUSH, PING, OTHER
    }

    /** {@code github}, {@code gitlab}, {@code gitea}, {@code forgejo}: the event's source and the metrics label. */
    String name();

    /** The event header's value; null when the request is not from this forge. */
    String event(Headers headers);

    Kind kind(String event);

    /** Throws a 401 {@link WebhookException} unless the request proves the sender knows {@code secret}. */
    void verify(byte[] body, Headers headers, Secret secret);

    /** The forge's id of this delivery (the same on a redelivery); null when it sends none. */
    String delivery(Headers headers);

    /** When the push happened by the forge's clock (epoch ms); 0 when the payload does not say. */
    default long pushedAt(JsonNode payload) {
        return 0;
    }

    /** Whether {@code hex} is the HMAC-SHA256 of {@code body} with {@code secret}, compared in constant time. */
    static void requireHmac(byte[] body, String hex, Secret secret, String header) {
        if (hex == null || hex.isBlank()) {
            throw WebhookException.unauthorized(header + " is missing: set the webhook's secret in the forge");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw WebhookException.unauthorized(header + " is not hex");
        }
        if (!MessageDigest.isEqual(WebhookSignature.hmacSha256(secret.bytes(), body), given)) {
            throw WebhookException.unauthorized("signature mismatch (" + header + ")");
        }
    }
}
