package io.romadr.backup;

import java.util.Map;

/**
 * The current version of each secret a plan names, by the name its exports use ({@code vault:<mount>/<path>},
 * {@code secretsmanager:<name>}); a secret its source does not have is left out. Metadata only: no value is read
 * to make it.
 */
public record SecretVersions(Map<String, SecretVersion> secrets) {
    public SecretVersions {
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }
}
