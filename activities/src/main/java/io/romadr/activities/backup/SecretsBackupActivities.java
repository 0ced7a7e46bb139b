package io.romadr.activities.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.FailureMessages;
import io.romadr.activities.crypto.OpenPgpDecryptor;
import io.romadr.activities.crypto.OpenPgpEncryptor;
import io.romadr.activities.crypto.OpenPgpException;
import io.romadr.activities.crypto.OpenPgpKeys;
import io.romadr.activities.crypto.PgpRecipient;
import io.romadr.activities.crypto.PgpSecretKeys;
import io.romadr.activities.digest.Sha256;
import io.romadr.activities.heartbeat.Heartbeat;
import io.romadr.activities.objectstore.NoSuchObjectException;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.objectstore.ObjectUpload;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.activities.secrets.VaultSecret;
import io.romadr.activities.stream.CountingOutputStream;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.SecretVersion;
import io.romadr.backup.SecretVersions;
import io.romadr.backup.SecretVersionsRequest;
import io.romadr.backup.SecretsActivities;
import io.romadr.backup.SecretsExportRequest;
import io.romadr.backup.SecretsRestoreRequest;
import io.romadr.backup.SecretsRestoreResult;
import io.romadr.backup.VerifyResult;
import io.romadr.plan.BackupStore;
import io.romadr.plan.SecretsBackupSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets export and restore. Everything that touches a secret value happens inside one activity call: read from
 * Vault / Secrets Manager, serialise, encrypt with OpenPGP straight into the object store's upload; on restore,
 * read back, check the SHA-256, decrypt (integrity enforced) and write back key by key. Only object keys, secret
 * names and key fingerprints leave it.
 */
public final class SecretsBackupActivities implements SecretsActivities {
    private static final Logger log = LoggerFactory.getLogger(SecretsBackupActivities.class);
    static final String KEY_FILE_ENV = "ROMA_DR_SECRETS_KEY_FILE";
    static final String KEY_ENV = "ROMA_DR_SECRETS_KEY";
    static final String PASSPHRASE_ENV = "ROMA_DR_SECRETS_PASSPHRASE";
    static final String PASSPHRASE_FILE_ENV = "ROMA_DR_SECRETS_PASSPHRASE_FILE";
    /** A secrets export is small; anything bigger is not ours. */
    static final int MAX_PLAINTEXT = 64 << 20;

    private final Path plansDir;
    private final Function<BackupStore, ObjectStore> stores;
    private final Function<SecretsBackupSpec.SecretsManagerSource, SecretsManagerSecrets> secretsManagers;
    private final Function<String, String> env;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param plansDir        relative recipient key paths in plans are resolved against it
     * @param stores          opens the plan's object store
     * @param secretsManagers a Secrets Manager client for a plan's source (production: the AWS default chain)
     * @param env             the worker's environment (tokens, private key, passphrase)
     */
    public SecretsBackupActivities(Path plansDir, Function<BackupStore, ObjectStore> stores,
            Function<SecretsBackupSpec.SecretsManagerSource, SecretsManagerSecrets> secretsManagers,
            Function<String, String> env) {
        this.plansDir = plansDir;
        this.stores = stores;
        this.secretsManagers = secretsManagers;
        this.env = env;
    }

    /** Production wiring: the AWS default credential chain, the process environment. */
    public static SecretsBackupActivities production(Path plansDir, Function<BackupStore, ObjectStore> stores) {
        return new SecretsBackupActivities(plansDir, stores,
                s -> new SecretsManagerSecrets(s.region(), s.endpoint()), System::getenv);
    }

    @Override
    public BackupManifest exportSecrets(SecretsExportRequest request) {
        try (ObjectStore store = stores.apply(request.store())) {
            String manifestKey = io.romadr.backup.BackupKeys.manifestKey(request.objectKey());
            Optional<BackupManifest> done = readManifest(store, manifestKey);
            if (done.isPresent()) {
                return done.get(); // a retry after the manifest was written: the backup is complete
            }
            List<PgpRecipient> recipients = recipients(request.spec());
            Map<String, String> versions = new LinkedHashMap<>();
            SecretsExport export = collect(request, versions);
            byte[] plaintext = json.writeValueAsBytes(export);
            MessageDigest sha = Sha256.newDigest();
            long size;
            try (ObjectUpload upload = store.startUpload(request.objectKey(), null, cp -> {
            })) {
                // the encryptor closes its target; the upload must stay open until committed
                CountingOutputStream counted = new CountingOutputStream(new DigestOutputStream(upload, sha));
                try (OutputStream encrypted = new OpenPgpEncryptor().encrypt(counted, recipients)) {
                    encrypted.write(plaintext);
                } finally {
                    Arrays.fill(plaintext, (byte) 0);
                }
                size = counted.count();
                upload.commit();
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, BackupKind.SECRETS, request.plan(),
                    request.objectKey(), Sha256.hex(sha), size, export.secrets().size(), 0,
                    sources(request.spec()), request.createdAt(), request.workflowId(), List.of(),
                    export.secrets().stream().map(SecretsExport.Entry::label).toList(),
                    recipients.stream().map(PgpRecipient::primaryFingerprint).distinct().toList(), versions);
            store.put(manifestKey, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            log.info("secrets export {}: {} secret(s) encrypted to {}", request.objectKey(),
                    manifest.secretNames().size(), manifest.recipients());
            return manifest;
        } catch (OpenPgpException e) {
            throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(e.getMessage()), "OpenPgpError");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private List<PgpRecipient> recipients(SecretsBackupSpec spec) throws IOException {
        List<PgpRecipient> all = new ArrayList<>();
        for (String file : spec.recipients()) {
            Path path = plansDir.resolve(file);
            if (!Files.isRegularFile(path)) {
                throw ApplicationFailure.newNonRetryableFailure("recipient key file " + path
                        + " does not exist (backup.secrets.recipients)", "PlanError");
            }
            all.addAll(OpenPgpKeys.readRecipients(path));
        }
        return all;
    }

    /** Reads every secret; puts the version each value is (read with it, never separately) into {@code versions}. */
    private SecretsExport collect(SecretsExportRequest request, Map<String, String> versions) throws IOException {
        SecretsBackupSpec spec = request.spec();
        List<SecretsExport.Entry> entries = new ArrayList<>();
        if (spec.vault() != null) {
            VaultKvClient vault = vault(spec.vault());
            for (String path : spec.vault().paths()) {
                Heartbeat.ofCurrentActivity().beat(null);
                VaultSecret secret = vault.read(path);
                SecretsExport.Entry entry = new SecretsExport.Entry(SecretsExport.Entry.VAULT, spec.vault().mount(),
                        path, secret.data(), null, null, null);
                entries.add(entry);
                versions.put(entry.label(), String.valueOf(secret.version()));
            }
        }
        if (spec.secretsManager() != null) {
            try (SecretsManagerSecrets sm = secretsManagers.apply(spec.secretsManager())) {
                for (String name : spec.secretsManager().names()) {
                    Heartbeat.ofCurrentActivity().beat(null);
                    SecretsManagerSecrets.VersionedValue read = sm.readVersioned(name, null);
                    AwsSecretValue value = read.value();
                    SecretsExport.Entry entry = new SecretsExport.Entry(SecretsExport.Entry.SECRETS_MANAGER, null,
                            null, null, name, value.isBinary() ? null : value.string(),
                            value.isBinary() ? Base64.getEncoder().encodeToString(value.bytes()) : null);
                    entries.add(entry);
                    versions.put(entry.label(), read.versionId() == null ? "" : read.versionId());
                }
            }
        }
        return new SecretsExport(SecretsExport.FORMAT, request.plan(), request.createdAt(), entries);
    }

    @Override
    public SecretVersions secretVersions(SecretVersionsRequest request) {
        SecretsBackupSpec spec = request.spec();
        Map<String, SecretVersion> current = new LinkedHashMap<>();
        try {
            if (spec.vault() != null) {
                VaultKvClient vault = vault(spec.vault());
                for (String path : spec.vault().paths()) {
                    // A missing secret is left out: no change to export (the export itself would fail on it).
                    vault.metadata(path).ifPresent(m -> current.put(
                            SecretsExport.Entry.vaultLabel(spec.vault().mount(), path),
                            new SecretVersion(String.valueOf(m.currentVersion()), m.currentVersionCreatedAt())));
                }
            }
            if (spec.secretsManager() != null) {
                try (SecretsManagerSecrets sm = secretsManagers.apply(spec.secretsManager())) {
                    for (String name : spec.secretsManager().names()) {
                        try {
                            SecretsManagerSecrets.SecretVersions v = sm.versions(name);
                            current.put(SecretsExport.Entry.secretsManagerLabel(name),
                                    new SecretVersion(v.current(), v.lastChangedAt()));
                        } catch (SecretsManagerSecrets.SecretNotFoundException missing) {
                            // left out, as a missing Vault secret
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return new SecretVersions(current);
    }

    private VaultKvClient vault(SecretsBackupSpec.VaultSource source) {
        return VaultKvClient.of(source, env);
    }

    private static String sources(SecretsBackupSpec spec) {
        List<String> s = new ArrayList<>();
        if (spec.vault() != null) {
            s.add("vault " + spec.vault().address());
        }
        if (spec.secretsManager() != null) {
            s.add("secretsmanager " + spec.secretsManager().region());
        }
        return String.join(", ", s);
    }

    @Override
    public SecretsRestoreResult restoreSecrets(SecretsRestoreRequest request) {
        BackupManifest manifest = request.manifest();
        try (ObjectStore store = stores.apply(request.store())) {
            byte[] ciphertext = readVerified(store, manifest);
            return writeBack(request.spec(), manifest.objectKey(), decryptExport(ciphertext, request));
        } catch (OpenPgpException e) {
            throw ApplicationFailure.newNonRetryableFailure(
                    FailureMessages.bounded(e.getMessage() + "; nothing was written"),
                    "OpenPgpError");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /**
     * Scenario 3: the export as environment variables (see {@link SecretsEnvironment}), after its checksum holds.
     * Not an activity of its own: the site activities write the result straight to the new server.
     */
    public Map<String, String> environment(BackupStore backupStore, BackupManifest manifest) throws IOException {
        try (ObjectStore store = stores.apply(backupStore)) {
            byte[] ciphertext = readVerified(store, manifest);
            try {
                return SecretsEnvironment.of(decryptExport(ciphertext, new SecretsRestoreRequest(backupStore, null,
                        manifest, null)));
            } catch (OpenPgpException e) {
                throw ApplicationFailure.newNonRetryableFailure(
                        FailureMessages.bounded(e.getMessage() + "; nothing was written"),
                        "OpenPgpError");
            }
        }
    }

    @Override
    public VerifyResult checkSecrets(SecretsRestoreRequest request) {
        BackupManifest manifest = request.manifest();
        String key = manifest.objectKey();
        try (ObjectStore store = stores.apply(request.store())) {
            byte[] ciphertext;
            try {
                ciphertext = store.read(key);
            } catch (NoSuchObjectException e) {
                return new VerifyResult(key, false, "missing object " + key + " in " + store.location(), null, 0, 0);
            }
            String actual = Sha256.hex(ciphertext);
            String mismatch = checksumProblem(manifest, ciphertext, actual);
            if (mismatch != null) {
                return new VerifyResult(key, false, mismatch, actual, ciphertext.length, 0);
            }
            SecretsExport export;
            try {
                export = decryptExport(ciphertext, request);
            } catch (OpenPgpException e) {
                return new VerifyResult(key, false, "does not decrypt: " + e.getMessage(), actual, ciphertext.length,
                        0);
            } catch (ApplicationFailure noKey) {
                // No key configured on this worker: the round trip cannot be made, which verification must show.
                return new VerifyResult(key, false, "missing decryption key: " + noKey.getOriginalMessage(), actual,
                        ciphertext.length, 0);
            }
            List<String> inside = export.secrets().stream().map(SecretsExport.Entry::label).toList();
            List<String> absent = manifest.secretNames().stream().filter(n -> !inside.contains(n)).toList();
            if (!absent.isEmpty()) {
                return new VerifyResult(key, false, "decrypts, but lacks " + absent, actual, ciphertext.length,
                        inside.size());
            }
            return new VerifyResult(key, true, "", actual, ciphertext.length, inside.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The stored export, after its size and SHA-256 match the manifest; else a non-retryable failure. */
    private static byte[] readVerified(ObjectStore store, BackupManifest manifest) throws IOException {
        byte[] ciphertext;
        try {
            ciphertext = store.read(manifest.objectKey());
        } catch (NoSuchObjectException e) {
            throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(e.getMessage()), "BackupMissing");
        }
        String mismatch = checksumProblem(manifest, ciphertext, Sha256.hex(ciphertext));
        if (mismatch != null) {
            throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded(mismatch + "; nothing was written"),
                    "BackupCorrupt");
        }
        return ciphertext;
    }

    /** Null when the stored bytes are what the manifest says (size and {@code actual} SHA-256). */
    private static String checksumProblem(BackupManifest manifest, byte[] ciphertext, String actual) {
        if (actual.equals(manifest.sha256()) && ciphertext.length == manifest.sizeBytes()) {
            return null;
        }
        return "sha256 mismatch: manifest " + manifest.sha256() + " (" + manifest.sizeBytes() + " bytes), stored "
                + actual + " (" + ciphertext.length + " bytes)";
    }

    private SecretsExport decryptExport(byte[] ciphertext, SecretsRestoreRequest request) throws IOException {
        byte[] plaintext = decrypt(ciphertext, request.privateKeyFile());
        try {
            return json.readValue(plaintext, SecretsExport.class);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    private byte[] decrypt(byte[] ciphertext, String keyFileFromRequest) throws IOException {
        PgpSecretKeys keys = secretKeys(keyFileFromRequest);
        char[] passphrase = passphrase();
        try {
            return new OpenPgpDecryptor().decryptToBytes(new ByteArrayInputStream(ciphertext), keys, passphrase,
                    MAX_PLAINTEXT);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private PgpSecretKeys secretKeys(String keyFileFromRequest) throws IOException {
        String file = keyFileFromRequest != null && !keyFileFromRequest.isBlank()
                ? keyFileFromRequest
                : env.apply(KEY_FILE_ENV);
        if (file != null && !file.isBlank()) {
            Path path = Path.of(file);
            if (!Files.isReadable(path)) {
                throw ApplicationFailure.newNonRetryableFailure("private key file " + path
                        + " is not readable on the worker", "ConfigurationError");
            }
            return OpenPgpKeys.readSecretKeys(path);
        }
        String armoured = env.apply(KEY_ENV);
        if (armoured != null && !armoured.isBlank()) {
            return OpenPgpKeys.readSecretKeys(armoured);
        }
        throw ApplicationFailure.newNonRetryableFailure("no private key to decrypt with: pass --key-file PATH (a "
                + "file on the worker) or set " + KEY_FILE_ENV + " or " + KEY_ENV + " on the worker",
                "ConfigurationError");
    }

    private char[] passphrase() throws IOException {
        String direct = env.apply(PASSPHRASE_ENV);
        if (direct != null) {
            return direct.toCharArray();
        }
        String file = env.apply(PASSPHRASE_FILE_ENV);
        if (file != null && !file.isBlank()) {
            String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1).toCharArray() : text.toCharArray();
        }
        return new char[0]; // an unprotected key
    }

    private SecretsRestoreResult writeBack(SecretsBackupSpec spec, String objectKey, SecretsExport export)
            throws IOException {
        List<String> written = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        VaultKvClient vault = null;
        SecretsManagerSecrets sm = null;
        try {
            for (SecretsExport.Entry e : export.secrets()) {
                Heartbeat.ofCurrentActivity().beat(null);
                boolean changed;
                if (SecretsExport.Entry.VAULT.equals(e.source())) {
                    if (spec.vault() == null) {
                        throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded("the backup holds "
                                + e.label() + " but the plan has no backup.secrets.vault to restore it to"),
                                "PlanError");
                    }
                    vault = vault == null ? vault(spec.vault()) : vault;
                    changed = vault.writeIfChanged(e.path(), e.data()).written();
                } else {
                    if (spec.secretsManager() == null) {
                        throw ApplicationFailure.newNonRetryableFailure(FailureMessages.bounded("the backup holds "
                                + e.label() + " but the plan has no backup.secrets.secretsManager to restore it to"),
                                "PlanError");
                    }
                    sm = sm == null ? secretsManagers.apply(spec.secretsManager()) : sm;
                    AwsSecretValue value = e.binaryBase64() != null
                            ? AwsSecretValue.ofBytes(e.name(), Base64.getDecoder().decode(e.binaryBase64()))
                            : AwsSecretValue.ofString(e.name(), e.string());
                    changed = sm.write(value) != SecretsManagerSecrets.WriteResult.UNCHANGED;
                }
                (changed ? written : unchanged).add(e.label());
            }
        } finally {
            if (sm != null) {
                sm.close();
            }
        }
        log.info("secrets restore from {}: {} written, {} unchanged", objectKey, written.size(), unchanged.size());
        return new SecretsRestoreResult(objectKey, written, unchanged);
    }

    private Optional<BackupManifest> readManifest(ObjectStore store, String key) throws IOException {
        try {
            return Optional.of(json.readValue(store.read(key), BackupManifest.class));
        } catch (NoSuchObjectException e) {
            return Optional.empty();
        }
    }
}
