package io.romadr.activities.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link VaultKvClient} against a real OpenBao dev server (KV v2 at secret/). */
@org.junit.jupiter.api.Tag("integration")
class VaultKvClientTest {
    static OpenBaoDevServer bao;
    static VaultKvClient client;

    @BeforeAll
    static void startServer() throws Exception {
        bao = OpenBaoDevServer.start();
        client = new VaultKvClient(bao.address(), bao.token(), "secret", Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (bao != null) {
            bao.close();
        }
    }

    private static String uniquePath() {
        return "roma-test/" + UUID.randomUUID() + "/db";
    }

    @Test
    void writeThenReadReturnsDataAndVersion() throws Exception {
        String path = uniquePath();
        String password = "pw-" + UUID.randomUUID();
        assertEquals(1, client.write(path, Map.of("username", "roma", "password", password)));
        VaultSecret secret = client.read(path);
        assertEquals(Map.of("username", "roma", "password", password), secret.data());
        assertEquals(1, secret.version());
        assertEquals(path, secret.path());
        assertFalse(secret.toString().contains(password), secret::toString);
        assertTrue(secret.toString().contains("password"), secret::toString); // key names are fine to show

        assertEquals(2, client.write(path, Map.of("username", "roma", "password", password + "2")));
        assertEquals(2, client.read(path).version());
        assertEquals(password + "2", client.read(path).data().get("password"));
    }

    @Test
    void writeIfChangedWritesOnceThenReportsUnchanged() throws Exception {
        String path = uniquePath();
        Map<String, String> data = Map.of("token", "t-" + UUID.randomUUID());
        VaultKvClient.WriteBack first = client.writeIfChanged(path, data);
        assertEquals(new VaultKvClient.WriteBack(true, 1), first);
        VaultKvClient.WriteBack second = client.writeIfChanged(path, data);
        assertEquals(new VaultKvClient.WriteBack(false, 1), second);
        assertEquals("unchanged (version 1)", second.describe());
        assertEquals(1, client.read(path).version()); // no new version piled up

        VaultKvClient.WriteBack third = client.writeIfChanged(path, Map.of("token", "other"));
        assertEquals(new VaultKvClient.WriteBack(true, 2), third);
    }

    @Test
    void missingPathFailsClearlyAndFindIsEmpty() throws Exception {
        String path = uniquePath();
        VaultException e = assertThrows(VaultException.class, () -> client.read(path));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("/v1/secret/data/" + path) && e.getMessage().contains("404"),
                e.getMessage());
        assertEquals(Optional.empty(), client.find(path));
    }

    @Test
    void listAndDeleteAllVersions() throws Exception {
        String folder = "roma-test/" + UUID.randomUUID();
        client.write(folder + "/a", Map.of("k", "v"));
        client.write(folder + "/sub/b", Map.of("k", "v"));
        assertEquals(List.of("a", "sub/"), client.list(folder).stream().sorted().toList());
        client.deleteAllVersions(folder + "/a");
        assertEquals(Optional.empty(), client.find(folder + "/a"));
        assertEquals(List.of("sub/"), client.list(folder));
        assertEquals(List.of(), client.list("roma-test/" + UUID.randomUUID()));
    }

    @Test
    void wrongTokenGets403WithoutTheTokenInTheMessage() throws Exception {
        String path = uniquePath();
        client.write(path, Map.of("k", "v"));
        String wrongToken = "wrong-" + UUID.randomUUID();
        VaultKvClient bad = new VaultKvClient(bao.address(), wrongToken, "secret", Duration.ofSeconds(10));
        VaultException e = assertThrows(VaultException.class, () -> bad.read(path));
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("HTTP 403") && e.getMessage().contains("permission denied"),
                e.getMessage());
        assertFalse(e.getMessage().contains(wrongToken), e.getMessage());
        assertFalse(e.getMessage().contains(bao.token()), e.getMessage());
        assertFalse(bad.toString().contains(wrongToken), bad::toString);

        VaultException w = assertThrows(VaultException.class, () -> bad.write(path, Map.of("k", "secret-value")));
        assertEquals(403, w.status());
        assertFalse(w.getMessage().contains("secret-value"), w.getMessage());
    }

    @Test
    void unreachableServerFailsWithinTheTimeout() throws Exception {
        // a port nobody listens on: connection refused, reported with the path, not the token
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VaultKvClient dead = new VaultKvClient(URI.create("http://127.0.0.1:" + port), bao.token(), "secret",
                Duration.ofSeconds(2));
        VaultException e = assertThrows(VaultException.class, () -> dead.read("x/y"));
        assertEquals(-1, e.status());
        assertTrue(e.getMessage().contains("/v1/secret/data/x/y"), e.getMessage());
        assertFalse(e.getMessage().contains(bao.token()), e.getMessage());
    }

    @Test
    void pathsAreEncodedAndDotSegmentsRefused() {
        assertEquals("a%20b/c%3Fd", VaultKvClient.encodePath("/a b/c?d/"));
        assertThrows(IllegalArgumentException.class, () -> VaultKvClient.encodePath("a/../sys/x"));
        assertThrows(IllegalArgumentException.class, () -> VaultKvClient.encodePath("//"));
    }

    @Test
    void checkAndSetWritesOnlyOverTheExpectedVersionAndMetadataHasNoValue() throws Exception {
        String path = uniquePath();
        assertEquals(Optional.empty(), client.metadata(path));
        client.write(path, Map.of("password", "one"));
        long before = System.currentTimeMillis();
        assertEquals(OptionalInt.of(2), client.writeIfVersion(path, Map.of("password", "two"), 1));
        long after = System.currentTimeMillis();
        assertEquals(OptionalInt.empty(), client.writeIfVersion(path, Map.of("password", "stale"), 1));
        assertEquals("two", client.read(path).data().get("password"));
        assertEquals("one", client.readVersion(path, 1).data().get("password"));
        assertEquals(404, assertThrows(VaultException.class, () -> client.readVersion(path, 3)).status());

        client.writeCustomMetadata(path, Map.of("owner", "team-a"));
        VaultMetadata meta = client.metadata(path).orElseThrow();
        // The current version's creation, not the later custom metadata write (same clock: a local server).
        assertTrue(meta.currentVersionCreatedAt() >= before - 1000 && meta.currentVersionCreatedAt() <= after + 1000,
                before + " <= " + meta.currentVersionCreatedAt() + " <= " + after);
        assertEquals(new VaultMetadata(path, 2, Map.of("owner", "team-a"), meta.currentVersionCreatedAt()), meta);
        assertFalse(meta.toString().contains("two"), meta::toString);
    }
}
