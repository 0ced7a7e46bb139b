package io.romadr.activities.secrets;

import java.util.Map;
import java.util.TreeMap;

/**
 * One version of a KV v2 secret. toString shows the path, version and key names, never the values.
 *
 * @param path the secret's path below the mount
 * @param version KV v2 version number
 * @param data key -> value; non-string JSON values are kept as their JSON text
 */
public record VaultSecret(String path, int version, Map<String, String> data) {
    public VaultSecret {
        data = Map.copyOf(data);
    }

    @Override
    public String toString() {
        return "VaultSecret[path=" + path + ", version=" + version + ", keys=" + new TreeMap<>(data).keySet()
                + " (values hidden)]";
    }
}
