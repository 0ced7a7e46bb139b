package io.romadr.worker.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The codec endpoint on the real host over HTTP: encode then decode round trip (readable by the SDK-side codec with
 * the same keys), bearer tokens, CORS preflight and foreign origins, namespaces, body size, bad JSON, a payload of an
 * unknown key, the rate limit per client address, the metrics; and at the end, that neither the request log nor the
 * application log holds a payload or a token.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class CodecEndpointTest {
    static final String TOKEN = "codec-token-" + UUID.randomUUID();
    static final String NEXT_TOKEN = "codec-next-" + UUID.randomUUID();
    static final String KEYS = PayloadKeys.generateLine("k2") + "\n" + PayloadKeys.generateLine("k1");
    static final String ORIGIN = "http://ui.example.test:8233";
    static final String CANARY = "canary-" + UUID.randomUUID();
    static final Path LOGS = logsDir();

    static final DropwizardAppExtension<RomaDrConfiguration> APP = new DropwizardAppExtension<>(CodecApp.class,
            ResourceHelpers.resourceFilePath("codec-host-test.yml"),
            ConfigOverride.config("plansDir", HostFakes.plansDir().toString()),
            ConfigOverride.config("server.requestLog.appenders[0].currentLogFilename",
                    LOGS.resolve("requests.log").toString()),
            ConfigOverride.config("logging.appenders[0].currentLogFilename", LOGS.resolve("host.log").toString()));

    /** The host with the fakes, the payload keys and the codec tokens in its environment. */
    public static class CodecApp extends HostFakes.App {
        @Override
        protected Map<String, String> environment() {
            Map<String, String> env = new HashMap<>(super.environment());
            env.put(PayloadKeys.ENV, KEYS);
            env.put("TEST_CODEC_TOKEN", TOKEN);
            env.put("TEST_CODEC_TOKEN_NEXT", NEXT_TOKEN);
            return env;
        }
    }

    @AfterAll
    static void nothingLoggedHoldsAPayloadOrAToken() throws IOException {
        String requests = Files.readString(LOGS.resolve("requests.log"));
        String host = Files.readString(LOGS.resolve("host.log"));
        assertTrue(requests.contains("/codec/decode"), "the request log is written: " + requests);
        assertTrue(host.contains("codec endpoint: POST /codec/encode"), "the start-up line: " + host);
        String canaryBase64 = Base64.getEncoder().encodeToString(json(CANARY).toByteArray()).substring(0, 16);
        for (String secret : List.of(CANARY, canaryBase64, TOKEN, NEXT_TOKEN, "wrong-token")) {
            assertFalse(requests.contains(secret), secret + " in the request log");
            assertFalse(host.contains(secret), secret + " in the host log");
        }
    }

    @Test
    void encodeThenDecodeRoundTripsAndTheSdkCodecReadsTheCiphertext() throws Exception {
        Payload plain = json(CANARY);
        Reply encoded = post("/codec/encode", body(plain), auth(TOKEN));
        assertEquals(200, encoded.status(), encoded.body());
        assertFalse(encoded.body().contains(CANARY));
        Payload cipher = payloads(encoded.body()).get(0);
        assertTrue(AesGcmPayloadCodec.isEncrypted(cipher), encoded.body());
        assertEquals("k2", cipher.getMetadataOrThrow(AesGcmPayloadCodec.METADATA_KEY_ID).toStringUtf8());
        assertEquals(List.of(plain), new AesGcmPayloadCodec(PayloadKeys.parse(KEYS, "test")).decode(List.of(cipher)));

        // decode: the second token too, and a payload in clear passes through
        Reply decoded = post("/codec/decode", body(cipher, json("not encrypted")), auth(NEXT_TOKEN));
        assertEquals(200, decoded.status(), decoded.body());
        assertEquals(List.of(plain, json("not encrypted")), payloads(decoded.body()));
        // an older key (k1, below the current one) still decodes
        Payload old = new AesGcmPayloadCodec(PayloadKeys.parse(KEYS.lines().skip(1).findFirst().orElseThrow(),
                "old")).encode(List.of(plain)).get(0);
        assertEquals(List.of(plain), payloads(post("/codec/decode", body(old), auth(TOKEN)).body()));
    }

    @Test
    void withoutOrWithAWrongTokenIs401() {
        String body = body(json(CANARY));
        for (String[] headers : List.of(new String[0], auth("wrong-token"), auth(""),
                new String[]{"Authorization", "Basic " + Base64.getEncoder().encodeToString(TOKEN.getBytes())},
                new String[]{"Authorization", TOKEN})) {
            Reply r = post("/codec/decode", body, headers);
            assertEquals(401, r.status(), r.body());
            assertEquals("Bearer realm=\"roma-dr\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
            assertFalse(r.body().contains(TOKEN) || r.body().contains(CANARY), r.body());
        }
    }

    @Test
    void corsAnswersTheUiOriginExactlyAndRefusesAnyOther() {
        Reply preflight = send(request("/codec/decode").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-namespace"));
        assertEquals(204, preflight.status(), preflight.body());
        HttpHeaders h = preflight.headers();
        assertEquals(List.of(ORIGIN), h.allValues("Access-Control-Allow-Origin"));
        assertEquals("POST", h.firstValue("Access-Control-Allow-Methods").orElse(null));
        assertEquals("authorization, content-type, x-namespace",
                h.firstValue("Access-Control-Allow-Headers").orElse(null));
        assertEquals("true", h.firstValue("Access-Control-Allow-Credentials").orElse(null));

        for (String foreign : List.of("http://evil.example.test", "http://ui.example.test:8234", "null")) {
            Reply refused = send(request("/codec/decode").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", foreign).header("Access-Control-Request-Method", "POST"));
            assertEquals(403, refused.status(), foreign);
            assertNoCors(refused);
            Reply post = post("/codec/decode", body(json(CANARY)), withOrigin(foreign, auth(TOKEN)));
            assertEquals(403, post.status(), foreign + ": " + post.body());
            assertNoCors(post);
        }

        Reply allowed = post("/codec/decode", body(json(CANARY)), withOrigin(ORIGIN, auth(TOKEN)));
        assertEquals(200, allowed.status(), allowed.body());
        assertEquals(List.of(ORIGIN), allowed.headers().allValues("Access-Control-Allow-Origin"));
        // an error the UI must be able to read carries the CORS headers too
        Reply unauthorized = post("/codec/decode", body(json(CANARY)), "Origin", ORIGIN);
        assertEquals(401, unauthorized.status());
        assertEquals(List.of(ORIGIN), unauthorized.headers().allValues("Access-Control-Allow-Origin"));
    }

    @Test
    void onlyTheConfiguredNamespaces() {
        assertEquals(200, post("/codec/decode", body(json("x")), auth(TOKEN, "roma-staging")).status());
        // the CLI's --codec-endpoint 'http://host/codec/{namespace}': the last segment decides, X-Namespace checks
        assertEquals(200, post("/codec/roma-staging/decode", body(json("x")), auth(TOKEN, "roma-staging")).status());
        Reply other = post("/codec/decode", body(json("x")), auth(TOKEN, "someone-else"));
        assertEquals(403, other.status(), other.body());
        Reply none = post("/codec/decode", body(json("x")), "Content-Type", "application/json", "Authorization",
                "Bearer " + TOKEN);
        assertEquals(403, none.status(), none.body());
        assertTrue(none.body().contains("X-Namespace required"), none.body());
    }

    @Test
    void tooLargeBadJsonAndAnUnknownKeyAre4xxWithoutThePayload() {
        String big = body(json(CANARY + "x".repeat(9000)));
        Reply tooLarge = post("/codec/decode", big, auth(TOKEN));
        assertEquals(413, tooLarge.status(), tooLarge.body());
        assertFalse(tooLarge.body().contains(CANARY));

        Reply malformed = post("/codec/decode", "{\"payloads\": [" + CANARY, auth(TOKEN));
        assertEquals(400, malformed.status(), malformed.body());
        assertTrue(malformed.body().contains("malformed JSON at line 1"), malformed.body());
        assertFalse(malformed.body().contains(CANARY), malformed.body());
        for (String wrongShape : List.of("{\"payloads\": \"" + CANARY + "\"}", "{\"" + CANARY + "\": 1}",
                "{\"payloads\": [{\"data\": \"" + CANARY + "!\"}]}", "[\"" + CANARY + "\"]")) {
            Reply r = post("/codec/decode", wrongShape, auth(TOKEN));
            assertEquals(400, r.status(), wrongShape + " -> " + r.body());
            assertTrue(r.body().contains("not temporal.api.common.v1.Payloads in JSON"), r.body());
            assertFalse(r.body().contains(CANARY), r.body());
        }
        Reply text = post("/codec/decode", body(json("x")), "Content-Type", "text/plain", "Authorization",
                "Bearer " + TOKEN, "X-Namespace", "default");
        assertEquals(415, text.status(), text.body());

        Payload foreign = new AesGcmPayloadCodec(PayloadKeys.parse(PayloadKeys.generateLine("k9"), "elsewhere"))
                .encode(List.of(json(CANARY))).get(0);
        Reply unknown = post("/codec/decode", body(json("fine"), foreign), auth(TOKEN));
        assertEquals(422, unknown.status(), unknown.body());
        assertTrue(unknown.body().contains("payloads[1]: a payload encrypted with key k9"), unknown.body());
        String data = Base64.getEncoder().encodeToString(foreign.getData().toByteArray());
        assertFalse(unknown.body().contains(data.substring(0, 12)), unknown.body());

        Reply tampered = post("/codec/decode", body(foreign.toBuilder().putMetadata(
                AesGcmPayloadCodec.METADATA_KEY_ID, ByteString.copyFromUtf8("k2")).build()), auth(TOKEN));
        assertEquals(422, tampered.status(), tampered.body());
        assertTrue(tampered.body().contains("failed authentication"), tampered.body());

        assertEquals(404, post("/codec/other", body(json("x")), auth(TOKEN)).status());
    }

    @Test
    void eachClientAddressHasItsOwnBucket() throws Exception {
        // another client: 127.0.0.2 (the host listens on 127.0.0.1; Linux routes all of 127/8 to loopback)
        long started = System.nanoTime();
        int ok = 0;
        int status = 200;
        String retryAfter = null;
        for (int i = 0; i < 200 && status == 200; i++) {
            String[] reply = rawPost(InetAddress.getByName("127.0.0.2"), body(json("x")));
            status = Integer.parseInt(reply[0]);
            retryAfter = reply[1];
            if (status == 200) {
                ok++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(429, status);
        assertTrue(ok >= 40 && ok <= 40 + 2 * seconds + 1, ok + " requests passed in " + seconds + " s");
        assertNotNull(retryAfter);
        assertTrue(Integer.parseInt(retryAfter) >= 1, retryAfter);
        // this client (127.0.0.1) is not limited by the other one's flood
        assertEquals(200, post("/codec/decode", body(json("x")), auth(TOKEN)).status());

        String metrics = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                + "/prometheus")).GET()).body();
        assertTrue(metrics.contains("romadr_codec_requests_total{operation=\"decode\",outcome=\"too_many_requests\"}"),
                metrics);
        assertTrue(metrics.contains("romadr_codec_requests_total{operation=\"decode\",outcome=\"ok\"}"), metrics);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    record Reply(int status, String body, HttpHeaders headers) {
    }

    static Payload json(String text) {
        return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8("{\"value\":\"" + text + "\"}")).build();
    }

    static String body(Payload... payloads) {
        try {
            return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(List.of(payloads)).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Payload> payloads(String json) {
        try {
            Payloads.Builder b = Payloads.newBuilder();
            JsonFormat.parser().merge(json, b);
            return b.getPayloadsList();
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    static String[] auth(String token) {
        return auth(token, "default");
    }

    static String[] auth(String token, String namespace) {
        return new String[]{"Content-Type", "application/json", "Authorization", "Bearer " + token, "X-Namespace",
                namespace};
    }

    static String[] withOrigin(String origin, String[] headers) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = "Origin";
        all[headers.length + 1] = origin;
        return all;
    }

    static void assertNoCors(Reply r) {
        assertNull(r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertNull(r.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
    }

    Reply post(String path, String body, String... headers) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path));
    }

    static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST from {@code from} (the JDK 17 client cannot pick its local address): status and Retry-After. */
    static String[] rawPost(InetAddress from, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", APP.getLocalPort()), 5_000);
            socket.setSoTimeout(10_000);
            String head = "POST /codec/decode HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + "Content-Type: application/json\r\nX-Namespace: default\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Length: " + bytes.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String retryAfter = response.lines().takeWhile(l -> !l.isEmpty())
                    .filter(l -> l.regionMatches(true, 0, "Retry-After:", 0, 12))
                    .map(l -> l.substring(12).strip()).findFirst().orElse(null);
            return new String[]{response.substring(9, 12), retryAfter};
        }
    }

    private static Path logsDir() {
        try {
            return Files.createTempDirectory("roma-dr-codec-logs");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
