package io.romadr.activities.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * How to authenticate to a registry: nothing, basic auth (also used at a bearer token service), or a fixed bearer
 * token. {@link #toString()} never shows the secret part.
 */
public final class RegistryCredentials {
    public static final RegistryCredentials NONE = new RegistryCredentials(null, null, null);

    private final String username;
    private final String password;
    private final String token;

    private RegistryCredentials(String username, String password, String token) {
        this.username = username;
        this.password = password;
        this.token = token;
    }

    public static RegistryCredentials basic(String username, String password) {
        return new RegistryCredentials(Objects.requireNonNull(username), Objects.requireNonNull(password), null);
    }

    public static RegistryCredentials bearer(String token) {
        return new RegistryCredentials(null, null, Objects.requireNonNull(token));
    }

    boolean hasBasic() {
        return username != null;
    }

    boolean hasToken() {
        return token != null;
    }

    String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    String bearerHeader() {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        if (username != null) {
            return "basic(" + username + ", password=<redacted>)";
        }
        return token != null ? "bearer(<redacted>)" : "none";
    }
}
