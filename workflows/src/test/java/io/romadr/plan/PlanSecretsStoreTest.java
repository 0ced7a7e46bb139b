package io.romadr.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code backup.secrets.store:} (the secrets' own store) and a store's {@code credentials:}. */
class PlanSecretsStoreTest {
    private final PlanLoader loader = new PlanLoader();

    private static final String WITH_SECRETS_STORE = PlanLoaderTest.MINIMAL + """
            backup:
              store: { uri: "s3://roma-backups/roma" }
              secrets:
                vault: { address: "http://127.0.0.1:8200", paths: [roma/app] }
                recipients: [keys/ops.asc]
                store:
                  uri: "s3://roma-secrets/roma"
                  credentials: { accessKeyIdEnv: SECRETS_BUCKET_KEY_ID, secretAccessKeyEnv: SECRETS_BUCKET_SECRET }
            """;

    @Test
    void secretsGoToTheirOwnStoreWithTheNamesOfTheirCredentials() {
        RecoveryPlan plan = loader.parse("demo.yaml", WITH_SECRETS_STORE);
        BackupStore secrets = plan.backup().secretsStore();
        assertEquals("s3://roma-secrets/roma", secrets.uri());
        assertEquals(new StoreCredentials(null, "SECRETS_BUCKET_KEY_ID", "SECRETS_BUCKET_SECRET", null),
                secrets.credentials());
        assertNull(plan.backup().store().credentials());
    }

    @Test
    void withoutAStoreSecretsStayInTheMainStore() {
        String plain = WITH_SECRETS_STORE.substring(0, WITH_SECRETS_STORE.indexOf("    store:\n      uri"));
        RecoveryPlan plan = loader.parse("demo.yaml", plain);
        assertSame(plan.backup().store(), plan.backup().secretsStore());
    }

    @Test
    void theSeedPlanAuditsAccessQuarterly() {
        BackupSpec backup = SeedPlan.load().backup();
        assertEquals(java.time.Duration.ofDays(90), backup.schedule().audit());
        assertSame(backup.store(), backup.secretsStore(), "the seed's secrets store is commented out");
    }

    @Test
    void aProfileLoads() {
        String profile = WITH_SECRETS_STORE.replace(
                "{ accessKeyIdEnv: SECRETS_BUCKET_KEY_ID, secretAccessKeyEnv: SECRETS_BUCKET_SECRET }",
                "{ profile: secrets-writer }");
        assertEquals("secrets-writer",
                loader.parse("demo.yaml", profile).backup().secretsStore().credentials().profile());
    }

    @Test
    void theMainStoreIsRefusedAsTheSecretsStoreWithItsLine() {
        String same = WITH_SECRETS_STORE.replace("s3://roma-secrets/roma", "s3://roma-backups/roma/");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", same));
        assertEquals("backup.secrets.store.uri", e.field());
        assertTrue(e.problem().startsWith("is the main backup store"), e.problem());
    }

    @Test
    void aCredentialInsteadOfAVariableNameIsRefusedWithoutEchoingIt() {
        String leaked = WITH_SECRETS_STORE.replace("secretAccessKeyEnv: SECRETS_BUCKET_SECRET",
                "secretAccessKeyEnv: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", leaked));
        assertEquals("backup.secrets.store.credentials.secretAccessKeyEnv", e.field());
        assertTrue(e.line() > 0);
        assertTrue(!e.getMessage().contains("EXAMPLEKEY"), e.getMessage());
    }

    @Test
    void bothAProfileAndVariablesAreRefused() {
        String both = WITH_SECRETS_STORE.replace("{ accessKeyIdEnv:", "{ profile: p, accessKeyIdEnv:");
        PlanException e = assertThrows(PlanException.class, () -> loader.parse("demo.yaml", both));
        assertEquals("backup.secrets.store.credentials.profile", e.field());
    }
}
