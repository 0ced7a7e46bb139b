package io.romadr.activities.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.plan.StoreCredentials;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

/** A store's credentials: the variables its plan entry names, a profile, or the default chain. */
class StoreCredentialsProviderTest {
    private static final Map<String, String> ENV = Map.of("SECRETS_KEY_ID", "AKIDSECRETSSTORE", "SECRETS_KEY",
            "s3cr3t-value", "SECRETS_TOKEN", "session-token");

    @Test
    void theNamedVariablesAreTheCredentials() {
        AwsCredentials c = AwsClients.credentials(new StoreCredentials(null, "SECRETS_KEY_ID", "SECRETS_KEY", null),
                ENV::get).resolveCredentials();
        assertEquals("AKIDSECRETSSTORE", c.accessKeyId());
        assertEquals("s3cr3t-value", c.secretAccessKey());
    }

    @Test
    void aSessionTokenMakesSessionCredentials() {
        AwsCredentials c = AwsClients.credentials(new StoreCredentials(null, "SECRETS_KEY_ID", "SECRETS_KEY",
                "SECRETS_TOKEN"), ENV::get).resolveCredentials();
        assertEquals("session-token", assertInstanceOf(AwsSessionCredentials.class, c).sessionToken());
    }

    @Test
    void aVariableThatIsNotSetIsNamedAndNoValueShown() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AwsClients.credentials(
                new StoreCredentials(null, "SECRETS_KEY_ID", "NOT_SET_HERE", null), ENV::get));
        assertTrue(e.getMessage().contains("NOT_SET_HERE"), e.getMessage());
        assertFalse(e.getMessage().contains("AKIDSECRETSSTORE"), e.getMessage());
    }

    @Test
    void aProfileOrNothing() {
        assertInstanceOf(ProfileCredentialsProvider.class, AwsClients.credentials(
                new StoreCredentials("roma-dr-secrets", null, null, null), ENV::get));
        assertInstanceOf(DefaultCredentialsProvider.class, AwsClients.credentials(null, ENV::get));
    }
}
