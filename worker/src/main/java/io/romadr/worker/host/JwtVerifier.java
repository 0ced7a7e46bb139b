package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Verifies an OIDC access token (a JWT in compact form) against {@code codec.jwt}, with the JDK only: {@code alg}
 * RS256 or ES256 (anything else, {@code none} and HS* among them, is refused), the JWKS key its {@code kid} names
 * (of the algorithm's type), the signature, {@code iss}, {@code aud} (a string or a list), {@code exp} (required)
 * and {@code nbf} with the leeway, and the required claims. A refusal says why in a fixed word ({@link Refused})
 * and never quotes the token or a claim's value.
 */
final class JwtVerifier {
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    /** Why a JWT was refused: {@code reason} is the metric outcome's suffix, {@code message} the 401's text. */
    static final class Refused extends Exception {
        private final String reason;

        Refused(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final RomaDrConfiguration.JwtSettings settings;
    private final JwksKeys keys;
    private final ObjectMapper json;
    private final Clock clock;

    JwtVerifier(RomaDrConfiguration.JwtSettings settings, JwksKeys keys, ObjectMapper json, Clock clock) {
        this.settings = settings;
        this.keys = keys;
        this.json = json;
        this.clock = clock;
    }

    static JwtVerifier of(RomaDrConfiguration.JwtSettings settings, ObjectMapper json) {
        JwksKeys keys = settings.jwksUrl() != null
                ? JwksKeys.fromUrl(settings.jwksUrl(), json)
                : JwksKeys.fromFile(Path.of(settings.jwksFile()), json);
        return new JwtVerifier(settings, keys, json, Clock.systemUTC());
    }

    /** Whether {@code value} has a JWT's shape (three base64url parts), so a refusal can say why. */
    static boolean looksLikeJwt(String value) {
        return value.startsWith("eyJ") && COMPACT.matcher(value).matches();
    }

    JwksKeys keys() {
        return keys;
    }

    void verify(String token) throws Refused {
        if (!looksLikeJwt(token)) {
            throw new Refused("malformed", "not a JWT");
        }
        String[] parts = token.split("\\.", -1);
        JsonNode header = object(parts[0], "header");
        if (header.has("crit")) {
            // RFC 7515: extensions a verifier does not understand must not be ignored
            throw new Refused("malformed", "JWT crit header not supported");
        }
        String alg = header.path("alg").asText("");
        String signatureAlgorithm = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            default -> throw new Refused("bad_alg", "JWT alg not accepted (RS256 or ES256 only)");
        };
        String kid = header.path("kid").asText("");
        PublicKey key = kid.isEmpty() ? null : keys.key(kid);
        if (key == null) {
            throw new Refused("unknown_kid", "JWT signed by a key the IdP's JWKS does not hold");
        }
        if (alg.equals("RS256") ? !(key instanceof RSAPublicKey) : !(key instanceof ECPublicKey)) {
            throw new Refused("bad_alg", "JWT alg does not match its key's type");
        }
        try {
            Signature signature = Signature.getInstance(signatureAlgorithm);
            signature.initVerify(key);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!signature.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw new Refused("bad_signature", "JWT signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Refused("bad_signature", "JWT signature does not verify");
        }
        JsonNode claims = object(parts[1], "payload");
        if (!settings.issuer().equals(claims.path("iss").asText(null))) {
            throw new Refused("wrong_issuer", "JWT issuer is not the configured one");
        }
        JsonNode aud = claims.path("aud");
        if (!(aud.isArray() ? contains(aud, settings.audience()) : settings.audience().contains(aud.asText(null)))) {
            throw new Refused("wrong_audience", "JWT audience is not a configured one");
        }
        long now = clock.instant().getEpochSecond();
        long leeway = settings.leeway().toSeconds();
        if (!claims.path("exp").isNumber()) {
            throw new Refused("expired", "JWT has no exp");
        }
        if (now > claims.path("exp").asLong() + leeway) {
            throw new Refused("expired", "JWT expired");
        }
        if (claims.has("nbf") && now + leeway < claims.path("nbf").asLong()) {
            throw new Refused("not_yet_valid", "JWT not valid yet (nbf)");
        }
        for (Map.Entry<String, String> required : settings.requiredClaims().entrySet()) {
            JsonNode value = claims.path(required.getKey());
            boolean holds = value.isArray()
                    ? contains(value, List.of(required.getValue()))
                    : value.isValueNode() && required.getValue().equals(value.asText());
            if (!holds) {
                throw new Refused("missing_claim", "JWT lacks required claim " + required.getKey());
            }
        }
    }

    private JsonNode object(String part, String what) throws Refused {
        try {
            JsonNode node = json.readTree(Base64.getUrlDecoder().decode(part));
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException | IllegalArgumentException e) {
            // refused below, without the parser's message (it may quote the text)
        }
        throw new Refused("malformed", "JWT " + what + " is not a JSON object");
    }

    private static boolean contains(JsonNode array, List<String> wanted) {
        for (JsonNode element : array) {
            if (element.isTextual() && wanted.contains(element.asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "JWTs of " + settings.issuer() + " for " + settings.audience() + " (keys from " + keys.source() + ")";
    }
}
