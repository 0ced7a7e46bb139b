package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import io.romadr.activities.credentials.Secret;

/**
 * GitHub (and GitHub Enterprise Server): {@code X-GitHub-Event: push} (or {@code ping} when the hook is created),
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>}, delivery {@code X-GitHub-Delivery}. The push
 * time is {@code repository.pushed_at} (unix seconds); {@code head_commit.timestamp} is the commit's time, which
 * may be days older than the push, so it is not used.
 */
final class GitHubForge implements GitForge {
    static final String EVENT = "X-GitHub-Event";
    static final String SIGNATURE = "X-Hub-Signature-256";
    static final String DELIVERY = "X-GitHub-Delivery";
    private static final String PREFIX = "sha256=";

    @Override
    public String name() {
        return "github";
    }

    @Override
    public String event(Headers headers) {
        return headers.get(EVENT);
    }

    @Override
    public Kind kind(String event) {
        return switch (event.strip()) {
            case "push" -> Kind.PUSH;
            case "ping" -> Kind.PING;
            default -> Kind.OTHER;
        };
    }

    @Override
    public void verify(byte[] body, Headers headers, Secret secret) {
        String signature = headers.get(SIGNATURE);
        if (signature != null && !signature.strip().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw WebhookException.unauthorized(SIGNATURE + " must be sha256=<hex HMAC-SHA256>");
        }
        GitForge.requireHmac(body, signature == null ? null : signature.strip().substring(PREFIX.length()), secret,
                SIGNATURE);
    }

    @Override
    public String delivery(Headers headers) {
        return headers.get(DELIVERY);
    }

    @Override
    public long pushedAt(JsonNode payload) {
        JsonNode at = payload.path("repository").path("pushed_at");
        return at.isIntegralNumber() && at.canConvertToLong() && at.longValue() > 0 && at.longValue() < 1L << 40
                ? at.longValue() * 1000
                : 0;
    }
}
