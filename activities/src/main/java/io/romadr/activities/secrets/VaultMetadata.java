package io.romadr.activities.secrets;

import java.util.Map;

/**
 * A KV v2 secret's metadata: no value, only the version that is current and the secret's custom metadata (small
 * annotations such as which rotation wrote it).
 *
 * @param path the secret's path below the mount
 * @param currentVersion the newest version number
 * @param customMetadata the secret's custom metadata, key -> value
 * @param currentVersionCreatedAt when the current version was written (epoch ms, Vault's clock; 0 if not told)
 */
public record VaultMetadata(String path, int currentVersion, Map<String, String> customMetadata,
        long currentVersionCreatedAt) {
    public VaultMetadata {
        customMetadata = Map.copyOf(customMetadata);
    }
}
