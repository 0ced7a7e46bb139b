package io.romadr.activities.secrets;

import io.romadr.activities.aws.AwsClients;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Reads and writes secrets in AWS Secrets Manager: backup reads the secrets a plan names, restore writes them back.
 * Writing is idempotent (a retried activity must not pile up versions). Error messages name the secret and the AWS
 * error code only; values never appear in them.
 */
public final class SecretsManagerSecrets implements AutoCloseable {

    /** What a write did. */
    public enum WriteResult {
        CREATED, UPDATED, UNCHANGED
    }

    /** The named secret does not exist (or has no current value). */
    public static final class SecretNotFoundException extends IOException {
        public SecretNotFoundException(String message) {
            super(message);
        }
    }

    private final SecretsManagerClient client;
    private final String region;

    /** Credentials from the AWS default chain; {@code endpoint} null or blank for the real service. */
    public SecretsManagerSecrets(String region, String endpoint) {
        this(region, endpoint, DefaultCredentialsProvider.builder().build());
    }

    public SecretsManagerSecrets(String region, String endpoint, AwsCredentialsProvider credentials) {
        this.region = AwsClients.region(region);
        this.client = AwsClients.build(SecretsManagerClient.builder(), this.region, endpoint, credentials);
    }

    /**
     * A secret's versions (no value): the id of the AWSCURRENT version, the ids of every version it keeps and when
     * the secret last changed (LastChangedDate, epoch ms; 0 if not told).
     */
    public record SecretVersions(String name, String current, Set<String> versionIds, long lastChangedAt) {
        public SecretVersions {
            versionIds = Set.copyOf(versionIds);
        }
    }

    /** A value with the id of the version it is (GetSecretValue's VersionId). */
    public record VersionedValue(AwsSecretValue value, String versionId) {
    }

    /**
     * The versions of {@code name} (DescribeSecret: metadata only, never a value); a secret that is missing,
     * scheduled for deletion or without a current version is a {@link SecretNotFoundException}.
     */
    public SecretVersions versions(String name) throws IOException {
        DescribeSecretResponse r;
        try {
            r = client.describeSecret(q -> q.secretId(name));
        } catch (ResourceNotFoundException e) {
            throw new SecretNotFoundException("no secret \"" + name + "\" in AWS Secrets Manager (" + region + ")");
        } catch (SdkException e) {
            throw failure("DescribeSecret", name, e);
        }
        if (r.deletedDate() != null) {
            throw new SecretNotFoundException("secret \"" + name + "\" in AWS Secrets Manager (" + region
                    + ") is scheduled for deletion");
        }
        String current = r.versionIdsToStages().entrySet().stream()
                .filter(e -> e.getValue().contains("AWSCURRENT")).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new SecretNotFoundException("secret \"" + name + "\" in AWS Secrets Manager ("
                        + region + ") has no current value"));
        return new SecretVersions(name, current, r.versionIdsToStages().keySet(),
                r.lastChangedDate() == null ? 0 : r.lastChangedDate().toEpochMilli());
    }

    /**
     * Adds a version with id {@code versionId} (the ClientRequestToken, 32 to 64 characters) and makes it AWSCURRENT.
     * AWS refuses a second version with the same id and a different value, so a caller that retries checks
     * {@link #versions} first.
     */
    public void putVersion(AwsSecretValue secret, String versionId) throws IOException {
        try {
            client.putSecretValue(q -> setValue(secret,
                    q.secretId(secret.name()).clientRequestToken(versionId)::secretString, q::secretBinary));
        } catch (SdkException e) {
            throw failure("PutSecretValue", secret.name(), e);
        }
    }

    /** The current value of {@code name}, string or binary. */
    public AwsSecretValue read(String name) throws IOException {
        return read(name, null);
    }

    /** The value of version {@code versionId} of {@code name} (null: the current one), string or binary. */
    public AwsSecretValue read(String name, String versionId) throws IOException {
        return readVersioned(name, versionId).value();
    }

    /** The value of version {@code versionId} of {@code name} (null: the current one) with its version id. */
    public VersionedValue readVersioned(String name, String versionId) throws IOException {
        GetSecretValueResponse r;
        try {
            r = client.getSecretValue(q -> q.secretId(name).versionId(versionId));
        } catch (ResourceNotFoundException e) {
            throw new SecretNotFoundException("no secret \"" + name + "\" in AWS Secrets Manager (" + region + ")");
        } catch (SdkException e) {
            throw failure("GetSecretValue", name, e);
        }
        if (r.secretString() != null) {
            return new VersionedValue(AwsSecretValue.ofString(name, r.secretString()), r.versionId());
        }
        if (r.secretBinary() != null) {
            return new VersionedValue(AwsSecretValue.ofBytes(name, r.secretBinary().asByteArray()), r.versionId());
        }
        throw new SecretNotFoundException("secret \"" + name + "\" in AWS Secrets Manager (" + region
                + ") has no current value");
    }

    /**
     * Makes {@code secret} the current value: creates the secret when missing, adds a version when the value
     * differs, and does nothing when it is already current.
     */
    public WriteResult write(AwsSecretValue secret) throws IOException {
        String name = secret.name();
        AwsSecretValue current;
        try {
            current = read(name);
        } catch (SecretNotFoundException e) {
            current = null;
        }
        if (secret.equals(current)) {
            return WriteResult.UNCHANGED;
        }
        if (current == null) {
            try {
                client.createSecret(q -> setValue(secret, q.name(name)::secretString, q::secretBinary));
                return WriteResult.CREATED;
            } catch (ResourceExistsException e) {
                // Created concurrently, or it exists without a current value: fall through to PutSecretValue.
            } catch (SdkException e) {
                throw failure("CreateSecret", name, e);
            }
        }
        try {
            client.putSecretValue(q -> setValue(secret, q.secretId(name)::secretString, q::secretBinary));
            return WriteResult.UPDATED;
        } catch (SdkException e) {
            throw failure("PutSecretValue", name, e);
        }
    }

    /** A request's value: the string, or the bytes of a binary secret. */
    private static void setValue(AwsSecretValue secret, Consumer<String> string, Consumer<SdkBytes> binary) {
        if (secret.isBinary()) {
            binary.accept(SdkBytes.fromByteArray(secret.bytes()));
        } else {
            string.accept(secret.string());
        }
    }

    /**
     * An error naming the operation, secret and AWS error code. A service error's message and the cause are left
     * out on purpose: a validation message may quote the request, and for writes the request holds the value.
     */
    private IOException failure(String op, String name, SdkException e) {
        return new IOException(op + " of secret \"" + name + "\" in AWS Secrets Manager (" + region
                + ") failed: " + AwsClients.errorDetail(e));
    }

    @Override
    public void close() {
        client.close();
    }
}
