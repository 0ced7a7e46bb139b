package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;

/**
 * GitLab: {@code X-Gitlab-Event: Push Hook} or {@code Tag Push Hook}, the secret itself in {@code X-Gitlab-Token}
 * (GitLab signs nothing; compared in constant time, so use HTTPS), delivery {@code X-Gitlab-Event-UUID} (GitLab
 * 15.x and later; else {@code Idempotency-Key}). A push hook carries no push time.
 */
final class GitLabForge implements GitForge {
    static final String EVENT = "X-Gitlab-Event";
    static final String TOKEN = "X-Gitlab-Token";
    static final String DELIVERY = "X-Gitlab-Event-UUID";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Override
    public String name() {
        return "gitlab";
    }

    @Override
    public String event(Headers headers) {
        return headers.get(EVENT);
    }

    @Override
    public Kind kind(String event) {
        return switch (event.strip()) {
            case "Push Hook", "Tag Push Hook" -> Kind.PUSH;
            default -> Kind.OTHER;
        };
    }

    @Override
    public void verify(byte[] body, Headers headers, Secret secret) {
        String token = headers.get(TOKEN);
        if (token == null || token.isEmpty()) {
            throw WebhookException.unauthorized(TOKEN + " is missing: set the webhook's secret token in GitLab");
        }
        if (!secret.matches(token)) {
            throw WebhookException.unauthorized("wrong " + TOKEN);
        }
    }

    @Override
    public String delivery(Headers headers) {
        String uuid = headers.get(DELIVERY);
        return uuid == null || uuid.isBlank() ? headers.get(IDEMPOTENCY_KEY) : uuid;
    }
}
