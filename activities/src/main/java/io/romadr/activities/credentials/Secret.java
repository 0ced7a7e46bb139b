package io.romadr.activities.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * A credential read from a file or an environment variable. It knows where it came from (for messages) and never
 * shows its value: {@link #toString()} names the source only, and the only way to use it is a constant-time
 * {@link #matches} or {@link #bytes()} for a MAC key.
 */
public final class Secret {
    private final byte[] value;
    private final String source;

    private Secret(byte[] value, String source) {
        this.value = value;
        this.source = source;
    }

    /**
     * The secret from {@code file} or else {@code env} (surrounding white space removed, as Alertmanager does for
     * its credentials files); empty when neither is configured. Configured but unreadable or empty is an error
     * that names the file or variable, never the content.
     */
    public static Optional<Secret> resolve(String what, String file, String env, Map<String, String> environment) {
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file.trim());
            byte[] bytes;
            try {
                bytes = Files.readString(path, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(what + ": cannot read the file " + path + " ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (bytes.length == 0) {
                throw new IllegalStateException(what + ": the file " + path + " is empty");
            }
            return Optional.of(new Secret(bytes, "file " + path));
        }
        if (env != null && !env.isBlank()) {
            String v = environment.get(env.trim());
            if (v == null || v.strip().isEmpty()) {
                throw new IllegalStateException(what + ": the environment variable " + env.trim()
                        + " is not set or empty");
            }
            return Optional.of(new Secret(v.strip().getBytes(StandardCharsets.UTF_8), "environment " + env.trim()));
        }
        return Optional.empty();
    }

    /** Constant-time comparison with what a client sent. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the value, e.g. as a MAC key. */
    public byte[] bytes() {
        return Arrays.copyOf(value, value.length);
    }

    /**
     * The value as text, for the one place a client library needs it (an HTTP header, a routing key, an SMTP
     * password); never log or store what this returns.
     */
    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Secret[" + source + "]";
    }
}
