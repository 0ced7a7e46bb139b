package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;

/**
 * Gitea and Forgejo (a Gitea fork with the same payloads under its own header names): {@code X-Gitea-Event: push}
 * ({@code X-Forgejo-Event}), {@code X-Gitea-Signature: <hex HMAC-SHA256(secret, body)>} ({@code X-Forgejo-Signature}),
 * delivery {@code X-Gitea-Delivery} ({@code X-Forgejo-Delivery}). A push payload carries no push time.
 */
final class GiteaForge implements GitForge {
    static final GiteaForge GITEA = new GiteaForge("gitea", "X-Gitea-");
    static final GiteaForge FORGEJO = new GiteaForge("forgejo", "X-Forgejo-");

    private final String name;
    private final String prefix;

    private GiteaForge(String name, String prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String event(Headers headers) {
        return headers.get(prefix + "Event");
    }

    @Override
    public Kind kind(String event) {
        return event.strip().equals("push") ? Kind.PUSH : Kind.OTHER;
    }

    @Override
    public void verify(byte[] body, Headers headers, Secret secret) {
        GitForge.requireHmac(body, headers.get(prefix + "Signature"), secret, prefix + "Signature");
    }

    @Override
    public String delivery(Headers headers) {
        return headers.get(prefix + "Delivery");
    }
}
