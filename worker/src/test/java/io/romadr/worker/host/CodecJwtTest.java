package io.romadr.worker.host;

import static io.romadr.worker.host.CodecEndpointTest.auth;
import static io.romadr.worker.host.CodecEndpointTest.body;
import static io.romadr.worker.host.CodecEndpointTest.json;
import static io.romadr.worker.host.CodecEndpointTest.payloads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The codec endpoint accepting the Web UI's forwarded OIDC access tokens (JWTs) on the real host, against a JWKS
 * served over HTTP by a JDK server with keys made here: RS256 and ES256 tokens decode; expired, not yet valid, wrong
 * issuer, wrong audience, bad signature, alg none, HS256 keyed with the public key, an unknown kid and a missing
 * required claim are 401 with why (never a claim value); the static token still works; unknown kids refetch the JWKS
 * at most once a minute; neither log holds a token.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CodecJwtTest {
    static final String ISSUER = "https://idp.example.test/realms/sre";
    static final String AUDIENCE = "roma-dr-ui";
    static final String TOKEN = "codec-token-" + UUID.randomUUID();
    static final String CANARY = "canary-" + UUID.randomUUID();
    static final ObjectMapper JSON = new ObjectMapper();
    static final KeyPair RSA = keyPair("RSA");
    static final KeyPair ROGUE = keyPair("RSA");
    static final KeyPair EC = keyPair("EC");
    static final AtomicInteger JWKS_REQUESTS = new AtomicInteger();
    static final HttpServer IDP = jwksServer(jwks(Map.of("r1", RSA, "e1", EC)));
    static final Path LOGS = logsDir();
    static final List<String> SENT = new java.util.concurrent.CopyOnWriteArrayList<>();

    static final DropwizardAppExtension<RomaDrConfiguration> APP = new DropwizardAppExtension<>(JwtApp.class,
            ResourceHelpers.resourceFilePath("codec-jwt-host-test.yml"),
            ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
            ConfigOverride.config("codec.jwt.jwksUrl", "http://127.0.0.1:" + IDP.getAddress().getPort()
                    + "/.well-known/jwks.json"),
            ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename",
                    LOGS.resolve("requests.log").toString()),
            ConfigOverride.config("logging.appenders[0].currentLogFilename", LOGS.resolve("host.log").toString()));

    /** The host with the fakes, the payload keys and the static codec token in its environment. */
    public static class JwtApp extends HostFakes.App {
        @Override
        protected Map<String, String> environment() {
            Map<String, String> env = new HashMap<>(super.environment());
            env.put(PayloadKeys.ENV, PayloadKeys.generateLine("k1"));
            env.put("TEST_CODEC_TOKEN", TOKEN);
            return env;
        }
    }

    @AfterAll
    static void stopTheIdpAndNoTokenIsLogged() throws IOException {
        IDP.stop(0);
        String requests = Files.readString(LOGS.resolve("requests.log"));
        String host = Files.readString(LOGS.resolve("host.log"));
        assertTrue(host.contains("bearer JWT refused: JWT expired"), host);
        assertTrue(host.contains("JWTs of " + ISSUER), "the start-up line names the issuer: " + host);
        assertFalse(SENT.isEmpty());
        for (String secret : SENT) {
            // a JWT's signature part is what makes it usable; its header part is the same for many tokens
            String signature = secret.substring(secret.lastIndexOf('.') + 1);
            for (String part : List.of(secret, signature.isEmpty() ? secret : signature)) {
                assertFalse(requests.contains(part), "a token in the request log");
                assertFalse(host.contains(part), "a token in the host log");
            }
        }
        assertFalse(host.contains(CANARY) || requests.contains(CANARY));
    }

    @Test
    void validRs256AndEs256TokensDecodeAndTheStaticTokenStillWorks() throws Exception {
        Payload plain = json(CANARY);
        Payload cipher = payloads(post("/codec/encode", body(plain), TOKEN).body()).get(0);
        Map<String, Object> listAudience = claims();
        listAudience.put("aud", List.of("another-client", AUDIENCE));
        // exp 30 s ago is within the 60 s leeway
        Map<String, Object> justExpired = claims();
        justExpired.put("exp", now() - 30);
        for (String jwt : List.of(rs256("r1", RSA.getPrivate(), claims()), es256("e1", listAudience),
                rs256("r1", RSA.getPrivate(), justExpired))) {
            CodecEndpointTest.Reply r = post("/codec/decode", body(cipher), jwt);
            assertEquals(200, r.status(), r.body());
            assertEquals(List.of(plain), payloads(r.body()));
        }
        assertEquals(200, post("/codec/decode", body(cipher), TOKEN).status());
    }

    @Test
    void eachRefusedJwtIs401SayingWhyWithoutAClaimValue() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("jwt_expired", rs256("r1", RSA.getPrivate(), with("exp", now() - 120)));
        cases.put("jwt_not_yet_valid", rs256("r1", RSA.getPrivate(), with("nbf", now() + 120)));
        cases.put("jwt_wrong_issuer", rs256("r1", RSA.getPrivate(), with("iss", "https://evil.example.test")));
        cases.put("jwt_wrong_audience", rs256("r1", RSA.getPrivate(), with("aud", List.of("other-client"))));
        cases.put("jwt_missing_claim", rs256("r1", RSA.getPrivate(), with("groups", List.of("dev-secret-group"))));
        cases.put("jwt_bad_signature", rs256("r1", ROGUE.getPrivate(), claims()));
        cases.put("jwt_bad_alg", unsigned());
        cases.put("jwt_bad_alg ", hs256WithThePublicKey());
        cases.put("jwt_bad_alg  ", rs256("e1", RSA.getPrivate(), claims())); // RS256 naming the EC key
        cases.put("jwt_unknown_kid", rs256("nope", RSA.getPrivate(), claims()));
        cases.put("jwt_malformed", signed(Map.of("alg", "RS256", "kid", "r1", "crit", List.of("exp")), claims(),
                "SHA256withRSA", RSA.getPrivate()));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            CodecEndpointTest.Reply r = post("/codec/decode", body(json(CANARY)), c.getValue());
            assertEquals(401, r.status(), c.getKey() + ": " + r.body());
            assertEquals(c.getKey().strip(), JSON.readTree(r.body()).path("outcome").asText(), r.body());
            assertEquals("Bearer realm=\"roma-dr\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
            for (String value : List.of("evil.example.test", "other-client", "dev-secret-group", "nope", ISSUER,
                    c.getValue())) {
                assertFalse(r.body().contains(value), c.getKey() + " answers " + value + ": " + r.body());
            }
        }
        CodecEndpointTest.Reply wrong = post("/codec/decode", body(json(CANARY)), "not-a-jwt-nor-a-token");
        assertEquals("unauthorized", JSON.readTree(wrong.body()).path("outcome").asText(), wrong.body());
    }

    @Test
    void aFloodOfUnknownKidsFetchesTheJwksAtMostOnce() {
        // the first valid request has fetched the set; a flood of made-up kids within the minute adds at most one
        assertEquals(200, post("/codec/encode", body(json("x")), rs256("r1", RSA.getPrivate(), claims())).status());
        int before = JWKS_REQUESTS.get();
        for (int i = 0; i < 20; i++) {
            assertEquals(401, post("/codec/encode", body(json("x")), rs256("kid-" + i, RSA.getPrivate(), claims()))
                    .status());
        }
        assertTrue(JWKS_REQUESTS.get() - before <= 1, (JWKS_REQUESTS.get() - before) + " JWKS fetches");
        assertTrue(before >= 1);
    }

    @Test
    void aRotatedIdpKeyIsFoundByRefetchingOnceTheMinuteHasPassed() throws Exception {
        AtomicReference<String> set = new AtomicReference<>(jwks(Map.of("r1", RSA)));
        AtomicInteger reads = new AtomicInteger();
        AtomicLong nanos = new AtomicLong(0);
        JwksKeys keys = new JwksKeys(() -> {
            reads.incrementAndGet();
            return set.get().getBytes(StandardCharsets.UTF_8);
        }, "test", JSON, nanos::get);
        assertNotNull(keys.key("r1"));
        assertEquals(1, reads.get());
        set.set(jwks(Map.of("r1", RSA, "r2", ROGUE))); // the IdP rotates
        nanos.addAndGet(java.time.Duration.ofSeconds(30).toNanos());
        for (int i = 0; i < 5; i++) {
            assertNull(keys.key("r2"), "within the minute the cached set stands");
        }
        assertEquals(1, reads.get());
        nanos.addAndGet(java.time.Duration.ofSeconds(31).toNanos());
        assertNotNull(keys.key("r2"));
        assertNotNull(keys.key("r1"));
        assertEquals(2, reads.get());
        assertNull(keys.key("r3"));
        assertEquals(2, reads.get(), "a refetch just happened");

        // an IdP that cannot be read is not retried per request either, and the keys come from a file too
        AtomicInteger failures = new AtomicInteger();
        JwksKeys down = new JwksKeys(() -> {
            failures.incrementAndGet();
            throw new IOException("connection refused");
        }, "down", JSON, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertNull(down.key("r1"));
        }
        assertEquals(1, failures.get());
        Path file = LOGS.resolve("jwks.json");
        Files.writeString(file, jwks(Map.of("e1", EC)));
        assertEquals(EC.getPublic(), JwksKeys.fromFile(file, JSON).key("e1"));
    }

    @Test
    void theJwtSettingsAreCheckedNamingTheField() {
        var leeway = io.dropwizard.util.Duration.seconds(60);
        var ok = new RomaDrConfiguration.JwtSettings(null, "/etc/jwks.json", ISSUER, List.of(AUDIENCE), null, null);
        assertEquals(60, ok.leeway().toSeconds());
        assertEquals(Map.of(), ok.requiredClaims());
        assertField("codec.jwt: give exactly one", () -> new RomaDrConfiguration.JwtSettings(null, null, ISSUER,
                List.of(AUDIENCE), null, leeway));
        assertField("codec.jwt: give exactly one", () -> new RomaDrConfiguration.JwtSettings("https://idp/jwks",
                "/etc/jwks.json", ISSUER, List.of(AUDIENCE), null, leeway));
        for (String url : List.of("idp/jwks.json", "ftp://idp/jwks.json", "https:///jwks", "https://idp/ jwks")) {
            assertField("codec.jwt.jwksUrl: ", () -> new RomaDrConfiguration.JwtSettings(url, null, ISSUER,
                    List.of(AUDIENCE), null, leeway));
        }
        assertField("codec.jwt.issuer: ", () -> new RomaDrConfiguration.JwtSettings("https://idp/jwks", null, " ",
                List.of(AUDIENCE), null, leeway));
        assertField("codec.jwt.audience: ", () -> new RomaDrConfiguration.JwtSettings("https://idp/jwks", null,
                ISSUER, List.of(), null, leeway));
        assertField("codec.jwt.audience: ", () -> new RomaDrConfiguration.JwtSettings("https://idp/jwks", null,
                ISSUER, null, null, leeway));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void assertField(String prefix, org.junit.jupiter.api.function.Executable construct) {
        var e = assertThrows(IllegalArgumentException.class, construct);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    CodecEndpointTest.Reply post(String path, String body, String bearer) {
        SENT.add(bearer);
        return CodecEndpointTest.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort()
                + path)).POST(HttpRequest.BodyPublishers.ofString(body)).headers(auth(bearer)));
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static Map<String, Object> claims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", "sre-on-call");
        claims.put("aud", AUDIENCE);
        claims.put("exp", now() + 300);
        claims.put("nbf", now() - 10);
        claims.put("groups", List.of("dev", "sre"));
        return claims;
    }

    static Map<String, Object> with(String claim, Object value) {
        Map<String, Object> claims = claims();
        claims.put(claim, value);
        return claims;
    }

    static String rs256(String kid, PrivateKey key, Map<String, Object> claims) {
        return signed(Map.of("alg", "RS256", "typ", "JWT", "kid", kid), claims, "SHA256withRSA", key);
    }

    static String es256(String kid, Map<String, Object> claims) {
        return signed(Map.of("alg", "ES256", "typ", "JWT", "kid", kid), claims, "SHA256withECDSAinP1363Format",
                EC.getPrivate());
    }

    static String unsigned() {
        return part(Map.of("alg", "none", "typ", "JWT", "kid", "r1")) + "." + part(claims()) + ".";
    }

    /** The classic confusion attack: HMAC keyed with the RSA public key a verifier might take as the secret. */
    static String hs256WithThePublicKey() throws GeneralSecurityException {
        String input = part(Map.of("alg", "HS256", "typ", "JWT", "kid", "r1")) + "." + part(claims());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RSA.getPublic().getEncoded(), "HmacSHA256"));
        return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    static String signed(Map<String, Object> header, Map<String, Object> claims, String algorithm, PrivateKey key) {
        String input = part(header) + "." + part(claims);
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String part(Object json) {
        try {
            return b64(JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        return bytes[0] == 0 && bytes.length > 1
                ? b64(java.util.Arrays.copyOfRange(bytes, 1, bytes.length))
                : b64(bytes);
    }

    static KeyPair keyPair(String type) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(type);
            if (type.equals("EC")) {
                g.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                g.initialize(2048);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String jwks(Map<String, KeyPair> keys) {
        List<Map<String, String>> list = new java.util.ArrayList<>();
        keys.forEach((kid, pair) -> {
            if (pair.getPublic() instanceof RSAPublicKey rsa) {
                list.add(Map.of("kty", "RSA", "use", "sig", "alg", "RS256", "kid", kid, "n", b64(rsa.getModulus()),
                        "e", b64(rsa.getPublicExponent())));
            } else {
                ECPublicKey ec = (ECPublicKey) pair.getPublic();
                list.add(Map.of("kty", "EC", "crv", "P-256", "use", "sig", "kid", kid, "x",
                        b64(ec.getW().getAffineX()), "y", b64(ec.getW().getAffineY())));
            }
        });
        try {
            return JSON.writeValueAsString(Map.of("keys", list));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IdP's JWKS endpoint on loopback, counting its requests. */
    static HttpServer jwksServer(String jwks) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/.well-known/jwks.json", exchange -> {
                JWKS_REQUESTS.incrementAndGet();
                byte[] bytes = jwks.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path logsDir() {
        try {
            return Files.createTempDirectory("roma-dr-codec-jwt-logs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
