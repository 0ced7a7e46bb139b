package io.romadr.activities.plan;

import io.romadr.plan.EnvValue;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a plan's {@code env:} into the values a container or command gets, on the worker, at the moment it is made:
 * {@code fromEnv} reads the worker's environment, {@code fromFile} a file (one trailing newline dropped, as with
 * Docker and Kubernetes secrets). The result lives only inside the activity; it is never returned, logged or put in
 * a failure, and what a command prints is masked with {@link Resolved#mask} before it is. A missing variable or file
 * is a non-retryable failure naming the variable or file, never a value.
 */
public final class PlanEnvironment {
    /** A secret file is small; a bigger one is a wrong path (e.g. a log file). */
    static final int MAX_FILE_BYTES = 64 * 1024;

    private PlanEnvironment() {
    }

    /**
     * The values for a container or command, and those of them read from the worker (secrets), so that what the
     * command prints can be masked before it goes into a result or failure (and so into history).
     */
    public record Resolved(Map<String, String> values, List<String> secrets) {
        /** The same, with one more value that is not a secret (e.g. set by roma-dr itself). */
        public Resolved with(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(values);
            more.put(name, value);
            return new Resolved(more, secrets);
        }

        /** The text with every secret value (and every line of a multi-line one) replaced by {@code ****}. */
        public String mask(String text) {
            String masked = text;
            for (String secret : secrets) {
                masked = masked.replace(secret, MASK);
                for (String line : secret.split("\\R")) {
                    if (line.strip().length() >= MIN_MASKED) {
                        masked = masked.replace(line.strip(), MASK);
                    }
                }
            }
            return masked;
        }
    }

    static final String MASK = "****";
    /** Shorter values (e.g. "1") would mask unrelated output; a real secret is longer. */
    static final int MIN_MASKED = 4;

    public static Resolved resolve(Map<String, EnvValue> env) {
        return resolve(env, System.getenv());
    }

    static Resolved resolve(Map<String, EnvValue> env, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        for (Map.Entry<String, EnvValue> e : env.entrySet()) {
            String value = value(e.getKey(), e.getValue(), environment);
            values.put(e.getKey(), value);
            if (e.getValue().value() == null && value.strip().length() >= MIN_MASKED) {
                secrets.add(value);
            }
        }
        // longest first, so a secret that contains another is masked whole
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return new Resolved(values, List.copyOf(secrets));
    }

    private static String value(String name, EnvValue v, Map<String, String> environment) {
        if (v.fromEnv() != null) {
            String value = environment.get(v.fromEnv());
            if (value == null) {
                throw missing("env " + name + ": environment variable " + v.fromEnv() + " is not set on the worker");
            }
            return value;
        }
        if (v.fromFile() != null) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(Path.of(v.fromFile()))) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            } catch (IOException | RuntimeException e) {
                throw missing("env " + name + ": cannot read the file " + v.fromFile() + " on the worker ("
                        + e.getClass().getSimpleName() + ")");
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw missing("env " + name + ": the file " + v.fromFile() + " is larger than "
                        + MAX_FILE_BYTES / 1024 + " KiB; expected a secret file");
            }
            String value = new String(bytes, StandardCharsets.UTF_8);
            return value.endsWith("\r\n")
                    ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        }
        return v.value();
    }

    private static ApplicationFailure missing(String message) {
        return ApplicationFailure.newNonRetryableFailure(message, "PlanEnvironmentMissing");
    }
}
