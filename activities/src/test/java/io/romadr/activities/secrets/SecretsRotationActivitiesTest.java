package io.romadr.activities.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.aws.MotoServer;
import io.romadr.activities.plan.CommandStepRunner;
import io.romadr.activities.process.HostCommandRunner;
import io.romadr.plan.CommandStep;
import io.romadr.plan.EnvValue;
import io.romadr.plan.SecretsBackupSpec;
import io.romadr.scenario.security.RotationInventory;
import io.romadr.scenario.security.RotationInventoryRequest;
import io.romadr.scenario.security.RotationKind;
import io.romadr.scenario.security.RotationRequest;
import io.romadr.scenario.security.RotationResult;
import io.romadr.scenario.security.RotationTarget;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@link SecretsRotationActivities} on a real OpenBao dev server and a real moto: one new version per rotation id, the
 * crash windows between its writes, someone else's write, and no value in results, failures or logs.
 */
@org.junit.jupiter.api.Tag("integration")
class SecretsRotationActivitiesTest {
    private static final String TOKEN_ENV = "ROTATION_TEST_VAULT_TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();

    static OpenBaoDevServer bao;
    static MotoServer moto;
    static VaultKvClient vault;
    static SecretsManagerClient raw;
    static SecretsRotationActivities rotation;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        bao = OpenBaoDevServer.start();
        moto = MotoServer.start();
        vault = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
        raw = SecretsManagerClient.builder().httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
                .credentialsProvider(moto.credentials()).build();
        rotation = new SecretsRotationActivities(
                s -> new SecretsManagerSecrets(s.region(), s.endpoint(), moto.credentials()),
                Map.of(TOKEN_ENV, bao.token())::get, new CommandStepRunner(new HostCommandRunner()));
    }

    @AfterAll
    static void stop() {
        if (raw != null) {
            raw.close();
        }
        if (moto != null) {
            moto.close();
        }
        if (bao != null) {
            bao.close();
        }
    }

    private static String path() {
        return "roma-rotation/" + UUID.randomUUID() + "/db";
    }

    private static String secretName() {
        return "roma/rotation/" + UUID.randomUUID();
    }

    private static SecretsBackupSpec spec(List<String> vaultPaths, List<String> names) {
        return new SecretsBackupSpec(
                vaultPaths.isEmpty()
                        ? null
                        : new SecretsBackupSpec.VaultSource(bao.address().toString(), "secret",
                                vaultPaths, TOKEN_ENV),
                names.isEmpty()
                        ? null
                        : new SecretsBackupSpec.SecretsManagerSource(MotoServer.REGION,
                                moto.endpoint().toString(), names),
                List.of("recipients are not read by the rotation.asc"));
    }

    private static RotationRequest request(String rotationId, RotationTarget target, SecretsBackupSpec spec) {
        return new RotationRequest("roma", rotationId, target, spec, List.of());
    }

    private static RotationTarget vaultTarget(String path, int version) {
        return new RotationTarget(RotationKind.VAULT_KV, path, Integer.toString(version));
    }

    private static String rotationId() {
        return "roma-dr-security-incident-roma-" + UUID.randomUUID();
    }

    /** Runs {@code action} with System.err (where the tests' slf4j-simple logs) captured; returns it and the text. */
    private static <T> Captured<T> capturingLogs(Supplier<T> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            return new Captured<>(action.get(), bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private record Captured<T>(T value, String logs) {
    }

    private static String everything(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static void assertNoneIn(String text, List<String> values) {
        for (String v : values) {
            assertFalse(text.contains(v), "a secret value appears in: " + text.replace(v, "<the value>"));
        }
    }

    @Test
    void inventoryGivesEveryVersionWithoutReadingAValueAndNamesWhatIsMissing() throws Exception {
        String a = path();
        String b = path();
        vault.write(a, Map.of("password", "a1"));
        vault.write(b, Map.of("token", "b1"));
        vault.write(b, Map.of("token", "b2"));
        String name = secretName();
        String versionId = raw.createSecret(r -> r.name(name).secretString("{\"k\":\"v\"}")).versionId();
        CommandStep registry = new CommandStep("registry-credentials", List.of("true"), null, null, null);

        RotationInventory inventory = rotation.inventory(new RotationInventoryRequest("roma",
                spec(List.of(a, b), List.of(name)), List.of(registry)));
        assertEquals(List.of(vaultTarget(a, 1), vaultTarget(b, 2),
                new RotationTarget(RotationKind.SECRETS_MANAGER, name, versionId),
                new RotationTarget(RotationKind.COMMAND, "registry-credentials", "")), inventory.targets());

        String missingPath = path();
        ApplicationFailure noPath = assertThrows(ApplicationFailure.class, () -> rotation.inventory(
                new RotationInventoryRequest("roma", spec(List.of(a, missingPath), List.of()), List.of())));
        assertTrue(noPath.isNonRetryable());
        assertTrue(noPath.getOriginalMessage().contains("secret/" + missingPath), noPath.getOriginalMessage());
        String missingName = secretName();
        ApplicationFailure noName = assertThrows(ApplicationFailure.class, () -> rotation.inventory(
                new RotationInventoryRequest("roma", spec(List.of(), List.of(name, missingName)), List.of())));
        assertTrue(noName.isNonRetryable());
        assertTrue(noName.getOriginalMessage().contains(missingName), noName.getOriginalMessage());
    }

    @Test
    void vaultRotationWritesOneNewVersionOnceAndShowsNoValue() throws Exception {
        String path = path();
        String oldPassword = "old-pw-" + UUID.randomUUID();
        String oldApiKey = "old-key-" + UUID.randomUUID();
        vault.write(path, Map.of("password", oldPassword, "api_key", oldApiKey));
        SecretsBackupSpec spec = spec(List.of(path), List.of());
        String id = rotationId();

        Captured<RotationResult> first = capturingLogs(() -> rotation.rotate(request(id, vaultTarget(path, 1),
                spec)));
        assertEquals(new RotationResult(vaultTarget(path, 1), "2", false, List.of("api_key", "password"),
                first.value().note()), first.value());
        VaultSecret rotated = vault.read(path);
        assertEquals(2, rotated.version());
        assertEquals(2, rotated.data().size());
        assertNotEquals(oldPassword, rotated.data().get("password"));
        assertNotEquals(oldApiKey, rotated.data().get("api_key"));
        assertNotEquals(rotated.data().get("password"), rotated.data().get("api_key"));
        assertEquals(43, rotated.data().get("password").length(), "32 random bytes, base64url");

        // The same rotation again (a retry, a worker that died before reporting): nothing written.
        Captured<RotationResult> again = capturingLogs(() -> rotation.rotate(request(id, vaultTarget(path, 1),
                spec)));
        assertTrue(again.value().alreadyRotated());
        assertEquals("2", again.value().versionAfter());
        assertEquals(List.of("api_key", "password"), again.value().keys());
        assertEquals(2, vault.metadata(path).orElseThrow().currentVersion());
        assertEquals(rotated.data(), vault.read(path).data());

        List<String> values = List.of(oldPassword, oldApiKey, rotated.data().get("password"),
                rotated.data().get("api_key"));
        for (Captured<RotationResult> c : List.of(first, again)) {
            assertTrue(c.logs().contains("rotation " + id), "the log line was not captured: " + c.logs());
            assertNoneIn(c.logs(), values);
            assertNoneIn(JSON.writeValueAsString(c.value()), values);
            assertNoneIn(c.value().toString(), values);
        }

        // A later incident (another rotation id) rotates again over the earlier marker, here with the rotation's own
        // token: the plan's (the backup's) is not used, so it may be read-only.
        SecretsRotationActivities ownToken = new SecretsRotationActivities(s -> {
            throw new AssertionError("no Secrets Manager here");
        }, Map.of(TOKEN_ENV, "not-a-token", SecretsRotationActivities.ROTATION_TOKEN_ENV, bao.token())::get,
                new CommandStepRunner(new HostCommandRunner()));
        RotationResult next = ownToken.rotate(request(rotationId(), vaultTarget(path, 2), spec));
        assertEquals("3", next.versionAfter());
        assertFalse(next.alreadyRotated());
    }

    @Test
    void vaultMarkerWrittenButDataNotCompletesWithOneVersion() throws Exception {
        // A worker killed after the marker and before the data write leaves exactly this state.
        String path = path();
        vault.write(path, Map.of("password", "before-" + UUID.randomUUID()));
        String id = rotationId();
        vault.writeCustomMetadata(path, Map.of("owner", "team-a", SecretsRotationActivities.MARKER, id,
                SecretsRotationActivities.MARKER_FROM, "1"));

        RotationResult result = rotation.rotate(request(id, vaultTarget(path, 1), spec(List.of(path), List.of())));
        assertFalse(result.alreadyRotated());
        assertEquals("2", result.versionAfter());
        VaultMetadata meta = vault.metadata(path).orElseThrow();
        assertEquals(2, meta.currentVersion());
        assertEquals(Map.of("owner", "team-a", SecretsRotationActivities.MARKER, id,
                SecretsRotationActivities.MARKER_FROM, "1"), meta.customMetadata(), "other metadata is kept");

        // A write after the rotation (the application's own) does not make a late retry of it rotate again.
        vault.write(path, Map.of("password", "written-later"));
        RotationResult late = rotation.rotate(request(id, vaultTarget(path, 1), spec(List.of(path), List.of())));
        assertTrue(late.alreadyRotated());
        assertEquals("2", late.versionAfter());
        assertTrue(late.note().contains("version 3 is current"), late.note());
        assertEquals(3, vault.metadata(path).orElseThrow().currentVersion());
    }

    @Test
    void concurrentAttemptsOfOneRotationWriteOneVersion() throws Exception {
        // An attempt that lost its worker's heartbeat may still run while the retry runs: Vault's check-and-set and
        // marker, and Secrets Manager's version id, make one of them write and the others report it, whatever the
        // interleaving.
        String path = path();
        vault.write(path, Map.of("password", "before-" + UUID.randomUUID()));
        String name = secretName();
        String before = raw.createSecret(r -> r.name(name).secretString("{\"password\":\"before\"}")).versionId();
        String id = rotationId();
        SecretsBackupSpec spec = spec(List.of(path), List.of(name));
        assertOneWrites(request(id, vaultTarget(path, 1), spec), "2");
        assertEquals(2, vault.metadata(path).orElseThrow().currentVersion());
        assertOneWrites(request(id, new RotationTarget(RotationKind.SECRETS_MANAGER, name, before), spec),
                SecretsRotationActivities.versionId(id, name));
        assertEquals(2, versions(name));
    }

    /** Four attempts of {@code request} at once: each ends with {@code versionAfter}, exactly one wrote it. */
    private static void assertOneWrites(RotationRequest request, String versionAfter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RotationResult>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return rotation.rotate(request);
                }));
            }
            go.countDown();
            int wrote = 0;
            for (Future<RotationResult> attempt : attempts) {
                RotationResult r = attempt.get(60, TimeUnit.SECONDS);
                assertEquals(versionAfter, r.versionAfter());
                wrote += r.alreadyRotated() ? 0 : 1;
            }
            assertEquals(1, wrote, "exactly one attempt writes " + request.target());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void vaultSecretChangedBySomeoneElseIsAClearErrorAndWritesNothing() throws Exception {
        String path = path();
        String leaked = "someone-elses-" + UUID.randomUUID();
        vault.write(path, Map.of("password", "seen-by-inventory"));
        vault.write(path, Map.of("password", leaked)); // after the inventory saw version 1

        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> rotation.rotate(request(rotationId(),
                vaultTarget(path, 1), spec(List.of(path), List.of()))));
        assertTrue(e.isNonRetryable());
        assertEquals("RotationConflict", e.getType());
        String message = e.getOriginalMessage();
        assertTrue(message.contains("secret/" + path) && message.contains("version 1")
                && message.contains("version 2 is current"), message);
        assertNoneIn(everything(e), List.of(leaked));
        assertEquals(2, vault.metadata(path).orElseThrow().currentVersion());
        assertEquals(leaked, vault.read(path).data().get("password"));
    }

    @Test
    void secretsManagerRotationWritesOneVersionOnceForJsonAndPlainSecrets() throws Exception {
        String json = secretName();
        String oldUser = "old-user-" + UUID.randomUUID();
        String oldPassword = "old-pw-" + UUID.randomUUID();
        String jsonValue = JSON.writeValueAsString(Map.of("username", oldUser, "password", oldPassword));
        String jsonBefore = raw.createSecret(r -> r.name(json).secretString(jsonValue)).versionId();
        String plain = secretName();
        String oldPlain = "old-plain-" + UUID.randomUUID();
        String plainBefore = raw.createSecret(r -> r.name(plain).secretString(oldPlain)).versionId();
        SecretsBackupSpec spec = spec(List.of(), List.of(json, plain));
        String id = rotationId();
        RotationTarget jsonTarget = new RotationTarget(RotationKind.SECRETS_MANAGER, json, jsonBefore);
        RotationTarget plainTarget = new RotationTarget(RotationKind.SECRETS_MANAGER, plain, plainBefore);

        Captured<List<RotationResult>> first = capturingLogs(() -> List.of(
                rotation.rotate(request(id, jsonTarget, spec)), rotation.rotate(request(id, plainTarget, spec))));
        RotationResult jsonResult = first.value().get(0);
        assertFalse(jsonResult.alreadyRotated());
        assertEquals(SecretsRotationActivities.versionId(id, json), jsonResult.versionAfter());
        assertEquals(List.of("password", "username"), jsonResult.keys());
        var current = raw.getSecretValue(r -> r.secretId(json));
        assertEquals(jsonResult.versionAfter(), current.versionId());
        JsonNode rotated = JSON.readTree(current.secretString());
        assertEquals(2, rotated.size());
        assertNotEquals(oldUser, rotated.path("username").asText());
        assertNotEquals(oldPassword, rotated.path("password").asText());
        String newPlain = raw.getSecretValue(r -> r.secretId(plain)).secretString();
        assertNotEquals(oldPlain, newPlain);
        assertEquals(List.of(), first.value().get(1).keys());

        Captured<List<RotationResult>> again = capturingLogs(() -> List.of(
                rotation.rotate(request(id, jsonTarget, spec)), rotation.rotate(request(id, plainTarget, spec))));
        for (RotationResult r : again.value()) {
            assertTrue(r.alreadyRotated(), r::toString);
        }
        assertEquals(List.of("password", "username"), again.value().get(0).keys());
        assertEquals(2, versions(json));
        assertEquals(2, versions(plain));
        assertEquals(current.secretString(), raw.getSecretValue(r -> r.secretId(json)).secretString());

        List<String> values = List.of(oldUser, oldPassword, oldPlain, newPlain, rotated.path("username").asText(),
                rotated.path("password").asText());
        for (Captured<List<RotationResult>> c : List.of(first, again)) {
            assertTrue(c.logs().contains("rotation " + id), "the log line was not captured: " + c.logs());
            assertNoneIn(c.logs(), values);
            assertNoneIn(JSON.writeValueAsString(c.value()), values);
        }
    }

    @Test
    void secretsManagerSecretChangedBySomeoneElseIsAClearError() throws Exception {
        String name = secretName();
        String before = raw.createSecret(r -> r.name(name).secretString("{\"password\":\"seen\"}")).versionId();
        String theirs = raw.putSecretValue(r -> r.secretId(name).secretString("{\"password\":\"theirs\"}"))
                .versionId();

        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> rotation.rotate(request(rotationId(),
                new RotationTarget(RotationKind.SECRETS_MANAGER, name, before), spec(List.of(), List.of(name)))));
        assertTrue(e.isNonRetryable());
        assertEquals("RotationConflict", e.getType());
        assertTrue(e.getOriginalMessage().contains(name) && e.getOriginalMessage().contains(before)
                && e.getOriginalMessage().contains(theirs), e.getOriginalMessage());
        assertEquals(theirs, raw.getSecretValue(r -> r.secretId(name)).versionId());
        assertEquals(2, versions(name));
    }

    @Test
    void commandRunsWithTheRotationIdAndItsOutputIsNeverKept() throws Exception {
        Path log = dir.resolve("rotations.log");
        String printed = "new-registry-password-" + UUID.randomUUID();
        CommandStep rotate = new CommandStep("registry-credentials", List.of("sh", "-c",
                "echo \"$ROMA_DR_ROTATION_ID\" >> \"$LOG\"; echo " + printed), null,
                Map.of("LOG", EnvValue.literal(log.toString())), null);
        CommandStep failing = new CommandStep("git-credentials", List.of("sh", "-c", "echo " + printed + "; exit 3"),
                null, null, null);
        String id = rotationId();
        RotationTarget target = new RotationTarget(RotationKind.COMMAND, "registry-credentials", "");

        Captured<RotationResult> done = capturingLogs(() -> rotation.rotate(new RotationRequest("roma", id, target,
                null, List.of(rotate, failing))));
        assertEquals(target, done.value().target());
        assertFalse(done.value().alreadyRotated());
        assertEquals(List.of(id), Files.readAllLines(log));
        assertNoneIn(done.logs() + JSON.writeValueAsString(done.value()), List.of(printed));
        // A retried command runs again, with the same id: the team's script is what makes it idempotent.
        rotation.rotate(new RotationRequest("roma", id, target, null, List.of(rotate, failing)));
        assertEquals(List.of(id, id), Files.readAllLines(log));

        ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> rotation.rotate(new RotationRequest(
                "roma", id, new RotationTarget(RotationKind.COMMAND, "git-credentials", ""), null,
                List.of(rotate, failing))));
        assertFalse(e.isNonRetryable(), "a failed command is retried");
        assertTrue(e.getOriginalMessage().contains("\"git-credentials\" exited with 3"), e.getOriginalMessage());
        assertNoneIn(everything(e), List.of(printed));

        ApplicationFailure unknown = assertThrows(ApplicationFailure.class, () -> rotation.rotate(
                new RotationRequest("roma", id, new RotationTarget(RotationKind.COMMAND, "other", ""), null,
                        List.of(rotate))));
        assertTrue(unknown.isNonRetryable());
        assertTrue(unknown.getOriginalMessage().contains("\"other\""), unknown.getOriginalMessage());
    }

    private static int versions(String name) {
        List<String> ids = new ArrayList<>();
        raw.listSecretVersionIds(r -> r.secretId(name).includeDeprecated(true)).versions()
                .forEach(v -> ids.add(v.versionId()));
        return ids.size();
    }
}
