package io.romadr.activities.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

@org.junit.jupiter.api.Tag("integration")
class SecretsManagerSecretsTest {
    static MotoServer moto;
    static SecretsManagerSecrets secrets;
    static SecretsManagerClient raw;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        secrets = new SecretsManagerSecrets(MotoServer.REGION, moto.endpoint().toString(), moto.credentials());
        raw = SecretsManagerClient.builder().httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(moto.credentials()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (secrets != null) {
            secrets.close();
            raw.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static String name() {
        return "roma/test/" + UUID.randomUUID();
    }

    private static int versions(String name) {
        return raw.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true)).versions().size();
    }

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w + "\n" + t.getMessage();
    }

    @Test
    void createReadUpdateAndIdempotentWriteBack() throws Exception {
        String name = name();
        String value = "s3cr3t-" + UUID.randomUUID();
        assertEquals(SecretsManagerSecrets.WriteResult.CREATED, secrets.write(AwsSecretValue.ofString(name, value)));
        AwsSecretValue read = secrets.read(name);
        assertEquals(name, read.name());
        assertEquals(value, read.string());
        assertNull(read.bytes());
        assertFalse(read.isBinary());

        assertEquals(SecretsManagerSecrets.WriteResult.UNCHANGED, secrets.write(read));
        assertEquals(SecretsManagerSecrets.WriteResult.UNCHANGED, secrets.write(AwsSecretValue.ofString(name, value)));
        assertEquals(1, versions(name), "an unchanged write must not add a version");

        String next = "n3xt-" + UUID.randomUUID();
        assertEquals(SecretsManagerSecrets.WriteResult.UPDATED, secrets.write(AwsSecretValue.ofString(name, next)));
        assertEquals(next, secrets.read(name).string());
        assertEquals(SecretsManagerSecrets.WriteResult.UNCHANGED, secrets.write(AwsSecretValue.ofString(name, next)));
        assertEquals(2, versions(name));
    }

    @Test
    void binarySecret() throws Exception {
        String name = name();
        byte[] value = {0, 1, 2, (byte) 0xff, (byte) 0x80, 42};
        assertEquals(SecretsManagerSecrets.WriteResult.CREATED, secrets.write(AwsSecretValue.ofBytes(name, value)));
        AwsSecretValue read = secrets.read(name);
        assertTrue(read.isBinary());
        assertNull(read.string());
        assertArrayEquals(value, read.bytes());
        assertEquals(SecretsManagerSecrets.WriteResult.UNCHANGED, secrets.write(AwsSecretValue.ofBytes(name, value)));
        byte[] changed = value.clone();
        changed[3] = 7;
        assertEquals(SecretsManagerSecrets.WriteResult.UPDATED, secrets.write(AwsSecretValue.ofBytes(name, changed)));
        assertArrayEquals(changed, secrets.read(name).bytes());
        // Switching kind is a change too.
        assertEquals(SecretsManagerSecrets.WriteResult.UPDATED, secrets.write(AwsSecretValue.ofString(name, "text")));
        assertEquals("text", secrets.read(name).string());
    }

    @Test
    void missingSecretErrorNamesItWithoutAnyValue() throws Exception {
        String present = name();
        String value = "never-print-" + UUID.randomUUID();
        secrets.write(AwsSecretValue.ofString(present, value));
        String missing = name();
        SecretsManagerSecrets.SecretNotFoundException e = assertThrows(
                SecretsManagerSecrets.SecretNotFoundException.class, () -> secrets.read(missing));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertFalse(everything(e).contains(value));
    }

    @Test
    void writeToASecretPendingDeletionFailsWithoutTheValue() throws Exception {
        String name = name();
        String value = "leak-canary-" + UUID.randomUUID();
        secrets.write(AwsSecretValue.ofString(name, "old"));
        raw.deleteSecret(r -> r.secretId(name).recoveryWindowInDays(7L));
        IOException e = assertThrows(IOException.class, () -> secrets.write(AwsSecretValue.ofString(name, value)));
        assertFalse(e instanceof SecretsManagerSecrets.SecretNotFoundException, everything(e));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("InvalidRequestException"),
                e.getMessage());
        assertFalse(everything(e).contains(value), everything(e));
    }

    @Test
    void badCredentialsOrEndpointErrorsCarryNoValue() {
        String value = "canary-" + UUID.randomUUID();
        try (SecretsManagerSecrets nowhere = new SecretsManagerSecrets(MotoServer.REGION, "http://127.0.0.1:1",
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y")))) {
            IOException e = assertThrows(IOException.class,
                    () -> nowhere.write(AwsSecretValue.ofString(name(), value)));
            assertFalse(everything(e).contains(value), everything(e));
        }
    }

    @Test
    void toStringNeverShowsTheValue() {
        AwsSecretValue s = AwsSecretValue.ofString("db/password", "hunter2-very-secret");
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertTrue(s.toString().contains("db/password"));
        AwsSecretValue b = AwsSecretValue.ofBytes("key", "hunter2".getBytes());
        assertFalse(b.toString().contains("hunter2"), b.toString());
        assertFalse(b.toString().contains(java.util.Arrays.toString("hunter2".getBytes())), b.toString());
        assertThrows(IllegalArgumentException.class, () -> new AwsSecretValue("n", "a", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> new AwsSecretValue("n", null, null));
    }
}
