package io.romadr.backup;

import io.romadr.plan.SecretsBackupSpec;

/** Which Vault ACL policies reach the paths {@code vault} backs up (read, delete, list). */
public record VaultPolicyAuditRequest(String plan, SecretsBackupSpec.VaultSource vault) {
}
