package io.romadr.backup;

import java.util.List;
import java.util.Map;

/**
 * Stored as JSON beside every backup object. Retention, listing, verification and restore all work from manifests,
 * never from object listing dates. {@code sha256} and {@code sizeBytes} are of the stored object exactly as stored
 * (for secrets: the encrypted file). {@code files} lists every regular file for artifact backups (empty otherwise);
 * {@code secretNames} lists which secrets an encrypted export holds (names only, never values); {@code recipients}
 * the OpenPGP key fingerprints it is encrypted to; {@code secretVersions} which version of each secret it holds
 * (secret name -> Vault KV version or Secrets Manager version id; empty in manifests from before it was recorded),
 * what the secrets watch compares the sources' metadata with.
 */
public record BackupManifest(
        int format,
        BackupKind kind,
        String plan,
        String objectKey,
        String sha256,
        long sizeBytes,
        long entries,
        long contentBytes,
        String source,
        long createdAt,
        String workflowId,
        List<FileDigest> files,
        List<String> secretNames,
        List<String> recipients,
        Map<String, String> secretVersions) {

    public static final int FORMAT = 1;

    public BackupManifest {
        files = files == null ? List.of() : List.copyOf(files);
        secretNames = secretNames == null ? List.of() : List.copyOf(secretNames);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        secretVersions = secretVersions == null ? Map.of() : Map.copyOf(secretVersions);
    }

    /** Without secret versions (every kind but secrets). */
    public BackupManifest(int format, BackupKind kind, String plan, String objectKey, String sha256, long sizeBytes,
            long entries, long contentBytes, String source, long createdAt, String workflowId, List<FileDigest> files,
            List<String> secretNames, List<String> recipients) {
        this(format, kind, plan, objectKey, sha256, sizeBytes, entries, contentBytes, source, createdAt, workflowId,
                files, secretNames, recipients, Map.of());
    }

    public String manifestKey() {
        return BackupKeys.manifestKey(objectKey);
    }
}
