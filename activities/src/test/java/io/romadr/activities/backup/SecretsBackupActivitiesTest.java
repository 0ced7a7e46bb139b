package io.romadr.activities.backup;

import io.romadr.activities.secrets.VaultException;
import io.romadr.backup.SecretVersion;
import io.romadr.backup.SecretVersionsRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.crypto.GpgHome;
import io.romadr.activities.objectstore.LocalObjectStore;
import io.romadr.activities.objectstore.ObjectStore;
import io.romadr.activities.secrets.AwsSecretValue;
import io.romadr.activities.secrets.OpenBaoDevServer;
import io.romadr.activities.secrets.SecretsManagerSecrets;
import io.romadr.activities.secrets.VaultKvClient;
import io.romadr.backup.BackupKeys;
import io.romadr.backup.BackupKind;
import io.romadr.backup.BackupManifest;
import io.romadr.backup.SecretsActivities;
import io.romadr.backup.SecretsExportRequest;
import io.romadr.backup.SecretsRestoreRequest;
import io.romadr.backup.SecretsRestoreResult;
import io.romadr.plan.BackupStore;
import io.romadr.plan.SecretsBackupSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets export -> delete -> restore against a real OpenBao dev server (Vault KV v2 API), moto (Secrets Manager)
 * and keys made by the real gpg, with the encrypted file in a local object store. The values are random per run.
 */
@org.junit.jupiter.api.Tag("integration")
class SecretsBackupActivitiesTest {
    private static final String PASSPHRASE = "correct horse " + System.nanoTime();
    private static OpenBaoDevServer bao;
    private static MotoServer moto;
    private static GpgHome gpg;
    private static GpgHome otherGpg;
    private static Path keysDir;

    @TempDir
    Path storeDir;
    private TestActivityEnvironment testEnv;
    private SecretsActivities activities;
    private final Map<String, String> env = new HashMap<>();
    private BackupStore store;
    private VaultKvClient vault;
    private SecretsBackupSpec spec;
    private final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void startServices(@TempDir Path keys) throws Exception {
        bao = OpenBaoDevServer.start();
        moto = MotoServer.start();
        gpg = new GpgHome(PASSPHRASE);
        gpg.generateKey("Ops RSA <ops-rsa@example.org>", "rsa3072", "cert,sign,encr", "never");
        gpg.generateKey("Ops 25519 <ops-25519@example.org>", "future-default", "default", "never");
        otherGpg = new GpgHome(PASSPHRASE);
        otherGpg.generateKey("Stranger <x@example.org>", "future-default", "default", "never");
        keysDir = keys; // private keys: JUnit deletes the directory after the class
        Files.writeString(keysDir.resolve("ops-rsa.asc"), gpg.exportPublic("ops-rsa@example.org"));
        Files.writeString(keysDir.resolve("ops-25519.asc"), gpg.exportPublic("ops-25519@example.org"));
        Files.writeString(keysDir.resolve("ops-25519.key"), gpg.exportSecret("ops-25519@example.org"));
        Files.writeString(keysDir.resolve("ops-rsa.key"), gpg.exportSecret("ops-rsa@example.org"));
        Files.writeString(keysDir.resolve("stranger.key"), otherGpg.exportSecret("x@example.org"));
    }

    @AfterAll
    static void stopServices() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{bao, moto, gpg, otherGpg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        store = new BackupStore(storeDir.toUri().toString(), null, null, null);
        env.put("TEST_VAULT_TOKEN", bao.token());
        env.put(SecretsBackupActivities.PASSPHRASE_ENV, PASSPHRASE);
        spec = new SecretsBackupSpec(
                new SecretsBackupSpec.VaultSource(bao.address().toString(), "secret",
                        List.of("roma-" + run + "/app", "roma-" + run + "/ci"), "TEST_VAULT_TOKEN"),
                new SecretsBackupSpec.SecretsManagerSource(MotoServer.REGION, moto.endpoint().toString(),
                        List.of("roma-" + run + "/db", "roma-" + run + "/tls")),
                List.of("ops-rsa.asc", "ops-25519.asc"));
        vault = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
        testEnv = TestActivityEnvironment.newInstance();
        testEnv.registerActivitiesImplementations(
                new SecretsBackupActivities(keysDir, SecretsBackupActivitiesTest::open,
                        s -> new SecretsManagerSecrets(s.region(), s.endpoint(), moto.credentials()), env::get));
        activities = testEnv.newActivityStub(SecretsActivities.class);
    }

    @AfterEach
    void tearDown() {
        testEnv.close();
    }

    private static ObjectStore open(BackupStore s) {
        try {
            return new LocalObjectStore(Path.of(java.net.URI.create(s.uri())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SecretsManagerSecrets sm() {
        return new SecretsManagerSecrets(MotoServer.REGION, moto.endpoint().toString(), moto.credentials());
    }

    private Map<String, String> appSecret() {
        return Map.of("DB_PASSWORD", "pw-" + run, "API_TOKEN", "tok-" + run);
    }

    private byte[] tlsKey() {
        return ("-----BEGIN KEY-----\n" + run + "\u0000\u00ff").getBytes(StandardCharsets.ISO_8859_1);
    }

    private BackupManifest export() throws Exception {
        vault.write("roma-" + run + "/app", appSecret());
        vault.write("roma-" + run + "/ci", Map.of("DEPLOY_KEY", "ci-" + run));
        try (SecretsManagerSecrets sm = sm()) {
            sm.write(AwsSecretValue.ofString("roma-" + run + "/db", "{\"password\":\"db-" + run + "\"}"));
            sm.write(AwsSecretValue.ofBytes("roma-" + run + "/tls", tlsKey()));
        }
        String key = BackupKeys.objectKey(BackupKind.SECRETS, "roma", System.currentTimeMillis(), run.substring(0, 8));
        return activities.exportSecrets(new SecretsExportRequest("roma", store, spec, key, System.currentTimeMillis(),
                "wf-test"));
    }

    @Test
    void exportDeleteRestoreGivesBackEveryValueAndASecondRestoreChangesNothing() throws Exception {
        BackupManifest m = export();
        assertEquals(4, m.secretNames().size(), m.secretNames().toString());
        assertTrue(m.secretNames().contains("vault:secret/roma-" + run + "/app"));
        assertTrue(m.secretNames().contains("secretsmanager:roma-" + run + "/db"));
        assertEquals(2, m.recipients().size());
        byte[] stored = Files.readAllBytes(storeDir.resolve(m.objectKey()));
        assertEquals(m.sizeBytes(), stored.length);
        String storedText = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(storedText.contains("pw-" + run), "the value must not be stored in clear");
        assertFalse(new String(Files.readAllBytes(storeDir.resolve(m.manifestKey())), StandardCharsets.UTF_8)
                .contains(run.substring(0, 8) + "\""), "no value in the manifest");

        // The disaster: every secret is gone.
        vault.deleteAllVersions("roma-" + run + "/app");
        vault.deleteAllVersions("roma-" + run + "/ci");
        try (var client = software.amazon.awssdk.services.secretsmanager.SecretsManagerClient.builder()
                .endpointOverride(moto.endpoint()).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(moto.credentials()).build()) {
            for (String n : List.of("/db", "/tls")) {
                client.deleteSecret(b -> b.secretId("roma-" + run + n).forceDeleteWithoutRecovery(true));
            }
        }
        assertTrue(vault.find("roma-" + run + "/app").isEmpty());

        env.put(SecretsBackupActivities.KEY_FILE_ENV, keysDir.resolve("ops-25519.key").toString());
        SecretsRestoreResult r = activities.restoreSecrets(new SecretsRestoreRequest(store, spec, m, null));
        assertEquals(4, r.written().size(), r.toString());
        assertEquals(appSecret(), vault.read("roma-" + run + "/app").data());
        assertEquals(Map.of("DEPLOY_KEY", "ci-" + run), vault.read("roma-" + run + "/ci").data());
        try (SecretsManagerSecrets sm = sm()) {
            assertEquals("{\"password\":\"db-" + run + "\"}", sm.read("roma-" + run + "/db").string());
            assertArrayEquals(tlsKey(), sm.read("roma-" + run + "/tls").bytes());
        }

        // Idempotent: the same restore again (e.g. a retried activity) writes nothing; the RSA key works too.
        SecretsRestoreResult again = activities.restoreSecrets(new SecretsRestoreRequest(store, spec, m,
                keysDir.resolve("ops-rsa.key").toString()));
        assertEquals(List.of(), again.written());
        assertEquals(4, again.unchanged().size());
        assertEquals(1, vault.read("roma-" + run + "/app").version(),
                "restored as version 1, no new version on the second restore");
    }

    @Test
    void gpgDecryptsTheExport() throws Exception {
        BackupManifest m = export();
        Path out = Files.createTempFile("roma-dr-secrets", ".json");
        gpg.decrypt(storeDir.resolve(m.objectKey()), out);
        String json = Files.readString(out);
        Files.delete(out);
        assertTrue(json.contains("\"DB_PASSWORD\":\"pw-" + run + "\""), "gpg opens what roma-dr encrypted");
    }

    @Test
    void aTamperedExportIsRefusedBeforeAnythingIsWritten() throws Exception {
        BackupManifest m = export();
        vault.write("roma-" + run + "/app", Map.of("DB_PASSWORD", "changed-after-backup"));
        Path file = storeDir.resolve(m.objectKey());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        env.put(SecretsBackupActivities.KEY_FILE_ENV, keysDir.resolve("ops-25519.key").toString());
        ActivityFailure e = assertThrows(ActivityFailure.class,
                () -> activities.restoreSecrets(new SecretsRestoreRequest(store, spec, m, null)));
        ApplicationFailure af = (ApplicationFailure) e.getCause();
        assertEquals("BackupCorrupt", af.getType());
        assertTrue(af.getOriginalMessage().contains("sha256 mismatch"), af.getOriginalMessage());
        assertEquals(Map.of("DB_PASSWORD", "changed-after-backup"), vault.read("roma-" + run + "/app").data());
    }

    @Test
    void theWrongKeyFailsClearlyWithoutLeakingAnything() throws Exception {
        BackupManifest m = export();
        ActivityFailure e = assertThrows(ActivityFailure.class, () -> activities.restoreSecrets(
                new SecretsRestoreRequest(store, spec, m, keysDir.resolve("stranger.key").toString())));
        ApplicationFailure af = (ApplicationFailure) e.getCause();
        assertEquals("OpenPgpError", af.getType());
        assertTrue(af.getOriginalMessage().contains("nothing was written"), af.getOriginalMessage());
        assertFalse(af.getOriginalMessage().contains(PASSPHRASE));
        assertFalse(af.getOriginalMessage().contains("pw-" + run));

        env.put(SecretsBackupActivities.PASSPHRASE_ENV, "wrong");
        ActivityFailure wrongPass = assertThrows(ActivityFailure.class, () -> activities.restoreSecrets(
                new SecretsRestoreRequest(store, spec, m, keysDir.resolve("ops-rsa.key").toString())));
        assertEquals("OpenPgpError", ((ApplicationFailure) wrongPass.getCause()).getType());
    }

    @Test
    void checkSecretsIsARoundTripThatWritesNothing() throws Exception {
        BackupManifest m = export();
        vault.write("roma-" + run + "/app", Map.of("DB_PASSWORD", "changed-after-backup"));
        env.put(SecretsBackupActivities.KEY_FILE_ENV, keysDir.resolve("ops-rsa.key").toString());
        var ok = activities.checkSecrets(new SecretsRestoreRequest(store, spec, m, null));
        assertTrue(ok.ok(), ok.toString());
        assertEquals(4, ok.entries());
        assertEquals(Map.of("DB_PASSWORD", "changed-after-backup"), vault.read("roma-" + run + "/app").data(),
                "a check never writes");

        var stranger = activities.checkSecrets(new SecretsRestoreRequest(store, spec, m,
                keysDir.resolve("stranger.key").toString()));
        assertFalse(stranger.ok());
        assertTrue(stranger.problem().startsWith("does not decrypt: "), stranger.problem());

        env.remove(SecretsBackupActivities.KEY_FILE_ENV);
        var noKey = activities.checkSecrets(new SecretsRestoreRequest(store, spec, m, null));
        assertTrue(noKey.problem().startsWith("missing decryption key"), noKey.problem());

        Path file = storeDir.resolve(m.objectKey());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(file, bytes);
        var flipped = activities.checkSecrets(new SecretsRestoreRequest(store, spec, m,
                keysDir.resolve("ops-rsa.key").toString()));
        assertTrue(flipped.problem().startsWith("sha256 mismatch"), flipped.problem());
    }

    @Test
    void aMissingTokenOrKeyNamesWhatToSet() {
        env.remove("TEST_VAULT_TOKEN");
        ActivityFailure e = assertThrows(ActivityFailure.class, () -> activities.exportSecrets(
                new SecretsExportRequest("roma", store, spec, "secrets/roma/x.pgp", 1L, "wf")));
        String message = ((ApplicationFailure) e.getCause()).getOriginalMessage();
        assertTrue(message.contains("TEST_VAULT_TOKEN"), message);
    }

    @Test
    void theExportRecordsTheVersionsItReadAndTheMetadataPollSeesEachChangeWithoutReadingAValue() throws Exception {
        String app = "vault:secret/roma-" + run + "/app";
        String db = "secretsmanager:roma-" + run + "/db";
        BackupManifest m = export();
        String dbVersion;
        try (SecretsManagerSecrets sm = sm()) {
            dbVersion = sm.versions("roma-" + run + "/db").current();
        }
        assertEquals(Map.of(app, "1", "vault:secret/roma-" + run + "/ci", "1", db, dbVersion,
                "secretsmanager:roma-" + run + "/tls", m.secretVersions().get("secretsmanager:roma-" + run + "/tls")),
                m.secretVersions());
        // The manifest as stored reads back with its versions (and an old manifest without them reads as none).
        BackupManifest stored = new com.fasterxml.jackson.databind.ObjectMapper().readValue(
                storeDir.resolve(m.manifestKey()).toFile(), BackupManifest.class);
        assertEquals(m.secretVersions(), stored.secretVersions());

        // The poll runs with a token that may read metadata only: reading a value would be refused (HTTP 403).
        putPolicy("metadata-only-" + run, "path \"secret/metadata/*\" { capabilities = [\"read\", \"list\"] }");
        String metadataOnly = createToken("metadata-only-" + run);
        VaultKvClient limited = new VaultKvClient(bao.address(), metadataOnly, "secret", Duration.ofSeconds(10));
        assertEquals(403, assertThrows(VaultException.class, () -> limited.read("roma-" + run + "/app")).status());
        env.put("TEST_VAULT_TOKEN", metadataOnly);
        SecretVersionsRequest poll = new SecretVersionsRequest("roma", spec);
        Map<String, SecretVersion> before = activities.secretVersions(poll).secrets();
        assertEquals(m.secretVersions().keySet(), before.keySet());
        before.forEach((name, v) -> assertEquals(m.secretVersions().get(name), v.version(), name));

        long changing = System.currentTimeMillis();
        vault.write("roma-" + run + "/app", Map.of("DB_PASSWORD", "pw2-" + run, "API_TOKEN", "tok-" + run));
        try (SecretsManagerSecrets sm = sm()) {
            sm.write(AwsSecretValue.ofString("roma-" + run + "/db", "{\"password\":\"db2-" + run + "\"}"));
        }
        long changed = System.currentTimeMillis();
        Map<String, SecretVersion> after = activities.secretVersions(poll).secrets();
        assertEquals("2", after.get(app).version());
        assertNotEquals(dbVersion, after.get(db).version());
        for (String name : List.of(app, db)) {
            // Local servers: the same clock (moto's dates are in whole seconds).
            long at = after.get(name).changedAt();
            assertTrue(at >= changing - 1500 && at <= changed + 1500, name + ": " + changing + " <= " + at + " <= "
                    + changed);
        }
        assertEquals(before.get("vault:secret/roma-" + run + "/ci"), after.get("vault:secret/roma-" + run + "/ci"));

        // A secret the source does not have is left out rather than failing the poll.
        vault.deleteAllVersions("roma-" + run + "/ci");
        assertFalse(activities.secretVersions(poll).secrets().containsKey("vault:secret/roma-" + run + "/ci"));
    }

    private static void putPolicy(String name, String rules) throws Exception {
        String body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("policy", rules));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(bao.address() + "/v1/sys/policies/acl/" + name)).header("X-Vault-Token", bao.token())
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "HTTP " + r.statusCode() + " " + r.body());
    }

    private static String createToken(String policy) throws Exception {
        String body = "{\"policies\": [\"" + policy + "\"], \"ttl\": \"10m\"}";
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(bao.address() + "/v1/auth/token/create")).header("X-Vault-Token", bao.token())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, "HTTP " + r.statusCode() + " " + r.body());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("auth").path("client_token")
                .asText();
    }
}
