package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import java.util.List;

/**
 * The bearer tokens an endpoint accepts ({@code Authorization: Bearer <token>}), each from a file or an environment
 * variable. Every configured token is compared, in constant time, whatever the first result; with none configured
 * every request is refused. Neither the tokens nor what a client sent appear in a message.
 */
public final class BearerTokens {
    private final List<Secret> tokens;

    public BearerTokens(List<Secret> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    public boolean configured() {
        return !tokens.isEmpty();
    }

    public int size() {
        return tokens.size();
    }

    /** Passes an {@code Authorization} header that carries one of the tokens; 401 otherwise. */
    public void check(String authorization) {
        if (tokens.isEmpty()) {
            throw WebhookException.unauthorized("no bearer token is configured for this endpoint");
        }
        if (authorization == null || authorization.isBlank()) {
            throw WebhookException.unauthorized("Authorization: Bearer <token> required");
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        if (space < 0 || !"Bearer".equalsIgnoreCase(header.substring(0, space))) {
            throw WebhookException.unauthorized("Authorization: Bearer <token> required");
        }
        String given = header.substring(space + 1).strip();
        boolean ok = false;
        for (Secret token : tokens) {
            ok |= token.matches(given);
        }
        if (!ok) {
            throw WebhookException.unauthorized("invalid credentials");
        }
    }

    @Override
    public String toString() {
        return tokens.isEmpty()
                ? "no bearer token"
                : tokens.size() + " bearer token(s) from " + String.join(", ", tokens.stream().map(Secret::source)
                        .toList());
    }
}
