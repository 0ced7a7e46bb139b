package io.romadr.scenario.security;

/** What a credential lives in, and so how it is rotated. */
public enum RotationKind {
    /** A Vault / OpenBao KV v2 secret: a new version with new random values for every key. */
    VAULT_KV,
    /** An AWS Secrets Manager secret: a new version (AWSCURRENT) with new random values. */
    SECRETS_MANAGER,
    /** A plan command (registry or git credentials): the command rotates, roma-dr runs it once. */
    COMMAND
}
