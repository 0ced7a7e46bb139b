package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens an endpoint accepts ({@code Authorization: Bearer <token>}), each from a file or an environment
 * variable. Every configured token is compared, in constant time, whatever the first result; with none configured
 * every request is refused. Neither the tokens nor what a client sent appear in a message. With a
 * {@link JwtVerifier}, a value that is none of the tokens passes when it is a valid JWT (the Web UI's forwarded OIDC
 * access token); a refused JWT is logged and answered with why ({@code jwt_expired}...), never with the token.
 */
public final class BearerTokens {
    private static final Logger log = LoggerFactory.getLogger(BearerTokens.class);
    private final List<Secret> tokens;
    private final JwtVerifier jwt;

    public BearerTokens(List<Secret> tokens) {
        this(tokens, null);
    }

    BearerTokens(List<Secret> tokens, JwtVerifier jwt) {
        this.tokens = List.copyOf(tokens);
        this.jwt = jwt;
    }

    public boolean configured() {
        return !tokens.isEmpty() || jwt != null;
    }

    public int size() {
        return tokens.size();
    }

    /** Passes an {@code Authorization} header that carries one of the tokens; 401 otherwise. */
    public void check(String authorization) {
        if (!configured()) {
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
        if (ok) {
            return;
        }
        if (jwt != null && JwtVerifier.looksLikeJwt(given)) {
            try {
                jwt.verify(given);
                return;
            } catch (JwtVerifier.Refused e) {
                log.info("bearer JWT refused: {}", e.getMessage());
                throw WebhookException.jwtRefused(e.reason(), "invalid credentials: " + e.getMessage());
            }
        }
        throw WebhookException.unauthorized("invalid credentials");
    }

    @Override
    public String toString() {
        String statics = tokens.isEmpty()
                ? "no bearer token"
                : tokens.size() + " bearer token(s) from " + String.join(", ", tokens.stream().map(Secret::source)
                        .toList());
        return jwt == null ? statics : statics + " and " + jwt;
    }
}
