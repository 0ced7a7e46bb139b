package io.romadr.backup;

/**
 * Which version of a secret is current, from its source's metadata (never its value): a Vault KV v2 version number
 * or a Secrets Manager version id, and when that version was made (epoch ms; the source's clock).
 */
public record SecretVersion(String version, long changedAt) {
    public SecretVersion {
        version = version == null ? "" : version;
    }
}
