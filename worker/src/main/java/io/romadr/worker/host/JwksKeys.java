package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of an IdP's JSON Web Key Set (RSA, and EC on P-256), by {@code kid}. Fetched on first use and
 * cached; fetched again when a token names a {@code kid} the cache does not hold (the IdP rotated its keys), at most
 * once per {@link #REFETCH_INTERVAL} so a flood of made-up kids does not hammer the IdP. A failed fetch keeps the
 * keys held before.
 */
final class JwksKeys {
    static final Duration REFETCH_INTERVAL = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);
    private static final int MAX_BYTES = 1024 * 1024;

    /** Where the key set comes from: its bytes, and a name for messages. */
    interface Source {
        byte[] read() throws IOException;
    }

    private final Source source;
    private final String sourceName;
    private final ObjectMapper json;
    private final LongSupplier nanoTime;
    private Map<String, PublicKey> keys;
    private long fetchedAt;
    private int fetches;

    JwksKeys(Source source, String sourceName, ObjectMapper json, LongSupplier nanoTime) {
        this.source = source;
        this.sourceName = sourceName;
        this.json = json;
        this.nanoTime = nanoTime;
    }

    /** The key set at {@code url}, over HTTP(S) with 5 s timeouts. */
    static JwksKeys fromUrl(String url, ObjectMapper json) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json").GET().build();
        return new JwksKeys(() -> {
            try {
                HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IOException("HTTP " + r.statusCode());
                }
                return r.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }, url, json, System::nanoTime);
    }

    static JwksKeys fromFile(Path file, ObjectMapper json) {
        return new JwksKeys(() -> Files.readAllBytes(file), file.toString(), json, System::nanoTime);
    }

    /** The key named {@code kid}, or null when the set (fetched again if allowed) has none by that name. */
    synchronized PublicKey key(String kid) {
        boolean known = keys != null && keys.containsKey(kid);
        if (!known && (fetches == 0 || nanoTime.getAsLong() - fetchedAt >= REFETCH_INTERVAL.toNanos())) {
            fetch();
        }
        return keys == null ? null : keys.get(kid);
    }

    /** How many times the key set was fetched (tried), for tests and the log. */
    synchronized int fetches() {
        return fetches;
    }

    String source() {
        return sourceName;
    }

    private void fetch() {
        fetches++;
        fetchedAt = nanoTime.getAsLong();
        try {
            byte[] bytes = source.read();
            if (bytes.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            keys = parse(json.readTree(bytes));
            log.info("codec endpoint: JWKS {} read: {} signing key(s) {}", sourceName, keys.size(), keys.keySet());
        } catch (IOException | RuntimeException e) {
            log.warn("codec endpoint: cannot read the JWKS {} ({}: {}); next try in {} s at the earliest", sourceName,
                    e.getClass().getSimpleName(), e.getMessage(), REFETCH_INTERVAL.toSeconds());
        }
    }

    private static Map<String, PublicKey> parse(JsonNode set) throws IOException {
        JsonNode list = set.path("keys");
        if (!list.isArray()) {
            throw new IOException("not a JSON Web Key Set (no \"keys\" array)");
        }
        Map<String, PublicKey> out = new HashMap<>();
        for (JsonNode jwk : list) {
            String kid = jwk.path("kid").asText("");
            String use = jwk.path("use").asText("sig");
            if (kid.isEmpty() || !use.equals("sig")) {
                continue;
            }
            try {
                PublicKey key = switch (jwk.path("kty").asText("")) {
                    case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            number(jwk, "n"), number(jwk, "e")));
                    case "EC" -> "P-256".equals(jwk.path("crv").asText(""))
                            ? KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                                    new ECPoint(number(jwk, "x"), number(jwk, "y")), p256()))
                            : null;
                    default -> null;
                };
                if (key != null) {
                    out.put(kid, key);
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                log.warn("codec endpoint: JWKS key {} skipped: {}", kid, e.getClass().getSimpleName());
            }
        }
        return Map.copyOf(out);
    }

    private static BigInteger number(JsonNode jwk, String field) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path(field).asText("")));
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }
}
