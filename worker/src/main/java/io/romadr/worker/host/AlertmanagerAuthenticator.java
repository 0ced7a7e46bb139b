package io.romadr.worker.host;

import io.romadr.activities.credentials.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Checks the {@code Authorization} header Alertmanager sends from its receiver's {@code http_config}: a bearer
 * token ({@code authorization.credentials_file}) or basic auth ({@code basic_auth}). Either configured credential
 * is accepted; with none configured, every request is refused. Comparisons are constant-time.
 */
public final class AlertmanagerAuthenticator {
    private final Optional<Secret> bearer;
    private final String basicUser;
    private final Optional<Secret> basicPassword;

    public AlertmanagerAuthenticator(Optional<Secret> bearer, String basicUser, Optional<Secret> basicPassword) {
        this.bearer = bearer;
        this.basicUser = basicUser;
        this.basicPassword = basicUser == null ? Optional.empty() : basicPassword;
    }

    public boolean configured() {
        return bearer.isPresent() || basicPassword.isPresent();
    }

    public void check(String authorization) {
        if (!configured()) {
            throw WebhookException.unauthorized("no credentials are configured for this webhook");
        }
        if (authorization == null || authorization.isBlank()) {
            throw WebhookException.unauthorized("credentials required");
        }
        String header = authorization.strip();
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header : header.substring(0, space);
        String value = space < 0 ? "" : header.substring(space + 1).strip();
        boolean ok = false;
        if ("Bearer".equalsIgnoreCase(scheme) && bearer.isPresent()) {
            ok = bearer.get().matches(value);
        } else if ("Basic".equalsIgnoreCase(scheme) && basicPassword.isPresent()) {
            ok = basicMatches(value);
        }
        if (!ok) {
            throw WebhookException.unauthorized("invalid credentials");
        }
    }

    private boolean basicMatches(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        boolean user = MessageDigest.isEqual(basicUser.getBytes(StandardCharsets.UTF_8),
                decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8));
        boolean password = basicPassword.get().matches(decoded.substring(colon + 1));
        return user & password;
    }

    @Override
    public String toString() {
        return "AlertmanagerAuthenticator[bearer=" + bearer.map(Secret::source).orElse("none") + ", basic="
                + (basicPassword.isPresent()
                        ? basicUser + " with password from " + basicPassword.get().source()
                        : "none")
                + "]";
    }
}
