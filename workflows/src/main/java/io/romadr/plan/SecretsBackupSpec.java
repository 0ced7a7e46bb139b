package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Secrets to export (seed: backup kind 3), encrypted with OpenPGP to every key in {@code recipients} (paths of
 * ASCII-armoured public keys; relative paths are resolved against the plans directory). At least one source.
 * {@code store}: the secrets' own store (the seed's "separate secure bucket", with its own credentials); without it
 * the exports go to {@code backup.store}.
 */
public record SecretsBackupSpec(
        VaultSource vault, SecretsManagerSource secretsManager,
        @JsonProperty(required = true) List<String> recipients, BackupStore store) {

    /** Exports kept in the plan's main backup store. */
    public SecretsBackupSpec(VaultSource vault, SecretsManagerSource secretsManager, List<String> recipients) {
        this(vault, secretsManager, recipients, null);
    }

    public SecretsBackupSpec {
        InvalidFieldException.require(vault != null || secretsManager != null, "vault",
                "name at least one source: vault and/or secretsManager");
        InvalidFieldException.require(recipients != null && !recipients.isEmpty(), "recipients",
                "must list at least one public key file to encrypt to");
        recipients = List.copyOf(recipients);
    }

    /** HashiCorp Vault / OpenBao KV v2: {@code paths} under {@code mount}; the token is read from env {@code tokenEnv}. */
    public record VaultSource(@JsonProperty(required = true) String address, String mount,
            @JsonProperty(required = true) List<String> paths, String tokenEnv) {
        public VaultSource {
            InvalidFieldException.requireText(address, "address");
            InvalidFieldException.require(address.startsWith("http://") || address.startsWith("https://"), "address",
                    "must be an http(s) URL, got \"" + address + "\"");
            mount = mount == null || mount.isBlank() ? "secret" : mount;
            InvalidFieldException.require(paths != null && !paths.isEmpty(), "paths", "must list at least one path");
            paths = List.copyOf(paths);
            tokenEnv = tokenEnv == null || tokenEnv.isBlank() ? "VAULT_TOKEN" : tokenEnv;
        }
    }

    /** AWS Secrets Manager secrets by name; {@code endpoint} only for emulators and VPC endpoints. */
    public record SecretsManagerSource(String region, String endpoint,
            @JsonProperty(required = true) List<String> names) {
        public SecretsManagerSource {
            region = region == null || region.isBlank() ? "us-east-1" : region;
            InvalidFieldException.require(names != null && !names.isEmpty(), "names", "must list at least one secret");
            names = List.copyOf(names);
        }
    }
}
