package io.romadr.temporal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An API key for Temporal (Temporal Cloud, or a server with JWT authorization), from a file or an environment
 * variable; never a command-line value, which {@code ps} would show. It knows where it came from and never shows its
 * value: {@link #toString()} names the source only. A file is read again when it changes, so a rotated key (a
 * Kubernetes Secret update) is picked up without a restart.
 */
public final class TemporalApiKey {
    /** The Temporal CLI's environment names. */
    public static final String ENV = "TEMPORAL_API_KEY";
    public static final String FILE_ENV = "TEMPORAL_API_KEY_FILE";

    private final String source;
    private final Path file;
    private volatile String value;
    private volatile long modified;

    private TemporalApiKey(String source, Path file, String value, long modified) {
        this.source = source;
        this.file = file;
        this.value = value;
        this.modified = modified;
    }

    /** The key in {@code file} (surrounding white space removed); unreadable or empty: an error naming the file. */
    public static TemporalApiKey fromFile(Path file) {
        long modified = lastModified(file);
        return new TemporalApiKey("file " + file, file, read(file), modified);
    }

    /** The key in the environment variable {@code name}; unset or empty: an error naming the variable. */
    public static TemporalApiKey fromEnvironment(String name, Map<String, String> environment) {
        String v = environment.get(name);
        if (v == null || v.isBlank()) {
            throw new TemporalConfigException("the Temporal API key: the environment variable " + name
                    + " is not set or empty");
        }
        return new TemporalApiKey("environment " + name, null, v.strip(), 0);
    }

    /**
     * What the CLI and the bare worker use: {@code file} (their {@code --api-key-file}, which defaults to
     * {@code TEMPORAL_API_KEY_FILE}) or else {@code TEMPORAL_API_KEY}; null when neither is set.
     */
    public static TemporalApiKey fromFileOrEnvironment(Path file, Map<String, String> environment) {
        if (file != null && !file.toString().isBlank()) {
            return fromFile(file);
        }
        String fromEnv = environment.get(FILE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromFile(Path.of(fromEnv.trim()));
        }
        String key = environment.get(ENV);
        return key == null || key.isBlank() ? null : fromEnvironment(ENV, environment);
    }

    /** The key, for the SDK's authorization header only; never log or store what this returns. */
    String value() {
        if (file != null) {
            long now = lastModifiedOrZero(file);
            if (now != 0 && now != modified) {
                try {
                    value = read(file);
                    modified = now;
                } catch (TemporalConfigException e) {
                    // mid-rotation (the file replaced but not yet written): keep the previous key
                }
            }
        }
        return value;
    }

    /** Where the key comes from, e.g. {@code file /run/secrets/roma-dr/temporal-api-key}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "TemporalApiKey[" + source + "]";
    }

    private static String read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new TemporalConfigException("the Temporal API key (temporal.apiKey.file, --api-key-file, "
                    + FILE_ENV + "): cannot read the file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (text.isEmpty()) {
            throw new TemporalConfigException("the Temporal API key (temporal.apiKey.file, --api-key-file, "
                    + FILE_ENV + "): the file " + file + " is empty");
        }
        return text;
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new TemporalConfigException("the Temporal API key (temporal.apiKey.file, --api-key-file, "
                    + FILE_ENV + "): cannot read the file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static long lastModifiedOrZero(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
