package io.romadr.backup;

import io.romadr.plan.SecretsBackupSpec;

/** The current version of every secret {@code spec} names, read from the sources' metadata only. */
public record SecretVersionsRequest(String plan, SecretsBackupSpec spec) {
}
