package io.romadr.activities.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.romadr.plan.SecretsBackupSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * HashiCorp Vault / OpenBao KV version 2 over the HTTP API (java.net.http + Jackson): read, write, list and delete
 * secrets under one mount, authenticated with {@code X-Vault-Token}.
 *
 * <p>Error messages carry the method, API path, HTTP status and Vault's {@code errors} array; the token, request
 * bodies and secret values never appear in messages, logs or toString.
 */
public final class VaultKvClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SOURCE_TIMEOUT = Duration.ofSeconds(15);

    /** Outcome of {@link #writeIfChanged}: whether a new version was written, and the current version. */
    public record WriteBack(boolean written, int version) {
        public String describe() {
            return written ? "written (version " + version + ")" : "unchanged (version " + version + ")";
        }
    }

    private final HttpClient http;
    private final URI address;
    private final String token;
    private final String mount;
    private final Duration requestTimeout;

    /** @param address e.g. {@code http://127.0.0.1:8200}; @param mount the KV v2 mount, e.g. {@code secret} */
    public VaultKvClient(URI address, String token, String mount, Duration timeout) {
        this(HttpClient.newBuilder().connectTimeout(timeout).build(), address, token, mount, timeout);
    }

    public VaultKvClient(HttpClient http, URI address, String token, String mount, Duration requestTimeout) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("Vault token is empty");
        }
        this.http = http;
        String base = address.toString();
        this.address = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token;
        this.mount = trimSlashes(mount);
        this.requestTimeout = requestTimeout;
    }

    /**
     * A client of a plan's Vault source, with the token from the worker's environment variable the source names; that
     * variable unset is a non-retryable failure naming it.
     */
    public static VaultKvClient of(SecretsBackupSpec.VaultSource source, Function<String, String> env) {
        String token = env.apply(source.tokenEnv());
        if (token == null || token.isBlank()) {
            throw ApplicationFailure.newNonRetryableFailure("environment variable " + source.tokenEnv()
                    + " (the Vault token) is not set on the worker", "ConfigurationError");
        }
        return new VaultKvClient(URI.create(source.address()), token.strip(), source.mount(), SOURCE_TIMEOUT);
    }

    /** The latest version of a secret; fails (HTTP 404 in the message) if there is none. */
    public VaultSecret read(String path) throws VaultException {
        return find(path).orElseThrow(() -> new VaultException("Vault GET " + dataPath(path)
                + ": no secret at this path (HTTP 404)", 404, List.of()));
    }

    /** The latest version of a secret, or empty if the path has none (never written, or latest version deleted). */
    public Optional<VaultSecret> find(String path) throws VaultException {
        String apiPath = dataPath(path);
        Response r = send("GET", apiPath, null);
        if (r.status == 404) {
            return Optional.empty();
        }
        requireOk(r, "GET", apiPath);
        int version = r.body.path("data").path("metadata").path("version").asInt(-1);
        return Optional.of(new VaultSecret(trimSlashes(path), version, values(r.body.path("data").path("data"))));
    }

    /** A version's data: non-string JSON values kept as their JSON text. */
    private static Map<String, String> values(JsonNode data) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : data.properties()) {
            values.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return values;
    }

    /** Writes a new version with exactly these keys; returns the new version number. */
    public int write(String path, Map<String, String> data) throws VaultException {
        String apiPath = dataPath(path);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode values = body.putObject("data");
        data.forEach(values::put);
        Response r = send("POST", apiPath, body);
        requireOk(r, "POST", apiPath);
        return r.body.path("data").path("version").asInt(-1);
    }

    /**
     * Idempotent write-back: writes only when the current data differs from {@code data} (so a restore that runs
     * twice does not pile up versions).
     */
    public WriteBack writeIfChanged(String path, Map<String, String> data) throws VaultException {
        Optional<VaultSecret> current = find(path);
        if (current.isPresent() && current.get().data().equals(Map.copyOf(data))) {
            return new WriteBack(false, current.get().version());
        }
        return new WriteBack(true, write(path, data));
    }

    /**
     * A secret's metadata (never a value): its current version and custom metadata; empty if the path has none.
     */
    public Optional<VaultMetadata> metadata(String path) throws VaultException {
        String apiPath = metadataPath(path);
        Response r = send("GET", apiPath, null);
        if (r.status == 404) {
            return Optional.empty();
        }
        requireOk(r, "GET", apiPath);
        JsonNode data = r.body.path("data");
        Map<String, String> custom = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : data.path("custom_metadata").properties()) {
            custom.put(e.getKey(), e.getValue().asText());
        }
        int current = data.path("current_version").asInt(-1);
        // The current version's created_time: updated_time also moves when only the custom metadata changes.
        String created = data.path("versions").path(String.valueOf(current)).path("created_time")
                .asText(data.path("updated_time").asText(""));
        return Optional.of(new VaultMetadata(trimSlashes(path), current, custom, epochMillis(created)));
    }

    /** An RFC 3339 time as Vault writes it, in epoch ms; 0 when absent or unreadable. */
    private static long epochMillis(String rfc3339) {
        try {
            return rfc3339.isEmpty() ? 0 : OffsetDateTime.parse(rfc3339).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    /** Replaces the secret's custom metadata with {@code custom} (the secret's data and versions are unchanged). */
    public void writeCustomMetadata(String path, Map<String, String> custom) throws VaultException {
        String apiPath = metadataPath(path);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode values = body.putObject("custom_metadata");
        custom.forEach(values::put);
        requireOk(send("POST", apiPath, body), "POST", apiPath);
    }

    /** Version {@code version} of a secret; fails (HTTP 404 in the message) if it is missing, deleted or destroyed. */
    public VaultSecret readVersion(String path, int version) throws VaultException {
        String apiPath = dataPath(path) + "?version=" + version;
        Response r = send("GET", apiPath, null);
        if (r.status == 404) {
            throw new VaultException("Vault GET " + apiPath + ": no such version, or it was deleted (HTTP 404)", 404,
                    List.of());
        }
        requireOk(r, "GET", apiPath);
        return new VaultSecret(trimSlashes(path), version, values(r.body.path("data").path("data")));
    }

    /**
     * Writes a new version only if {@code expectedVersion} is still the current one (KV v2 check-and-set); returns
     * the new version, or empty when the secret has moved on (the check-and-set failed).
     */
    public OptionalInt writeIfVersion(String path, Map<String, String> data, int expectedVersion)
            throws VaultException {
        String apiPath = dataPath(path);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("options").put("cas", expectedVersion);
        ObjectNode values = body.putObject("data");
        data.forEach(values::put);
        Response r = send("POST", apiPath, body);
        if (r.status == 400 && r.body.path("errors").toString().contains("check-and-set")) {
            return OptionalInt.empty();
        }
        requireOk(r, "POST", apiPath);
        return OptionalInt.of(r.body.path("data").path("version").asInt(-1));
    }

    /** Deletes the secret with all its versions and metadata ({@code DELETE .../metadata/<path>}). */
    public void deleteAllVersions(String path) throws VaultException {
        String apiPath = "/v1/" + mount + "/metadata/" + encodePath(path);
        Response r = send("DELETE", apiPath, null);
        if (r.status != 404) {
            requireOk(r, "DELETE", apiPath);
        }
    }

    /** Key names directly below a folder (folders end with '/'); empty if there is nothing there. */
    public List<String> list(String folder) throws VaultException {
        String apiPath = "/v1/" + mount + "/metadata/" + encodePath(folder);
        Response r = send("LIST", apiPath, null);
        if (r.status == 404) {
            return List.of();
        }
        requireOk(r, "LIST", apiPath);
        List<String> keys = new ArrayList<>();
        r.body.path("data").path("keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    /** The names of the ACL policies ({@code LIST sys/policies/acl}); the token needs list there. */
    public List<String> aclPolicyNames() throws VaultException {
        String apiPath = "/v1/sys/policies/acl";
        Response r = send("LIST", apiPath, null);
        requireOk(r, "LIST", apiPath);
        List<String> names = new ArrayList<>();
        r.body.path("data").path("keys").forEach(k -> names.add(k.asText()));
        return names;
    }

    /** The rules (HCL) of ACL policy {@code name} ({@code GET sys/policies/acl/<name>}). */
    public String aclPolicy(String name) throws VaultException {
        String apiPath = "/v1/sys/policies/acl/" + encodePath(name);
        Response r = send("GET", apiPath, null);
        requireOk(r, "GET", apiPath);
        return r.body.path("data").path("policy").asText("");
    }

    private String dataPath(String path) {
        return "/v1/" + mount + "/data/" + encodePath(path);
    }

    private String metadataPath(String path) {
        return "/v1/" + mount + "/metadata/" + encodePath(path);
    }

    private record Response(int status, JsonNode body) {
    }

    private Response send(String method, String apiPath, JsonNode body) throws VaultException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + apiPath))
                .timeout(requestTimeout)
                .header("X-Vault-Token", token)
                .header("Content-Type", "application/json")
                .method(method, publisher)
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new VaultException("Vault " + method + " " + apiPath + " at " + address + ": no answer within "
                    + requestTimeout, e);
        } catch (IOException e) {
            throw new VaultException("Vault " + method + " " + apiPath + " at " + address + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VaultException("Vault " + method + " " + apiPath + ": interrupted", e);
        }
        JsonNode json;
        try {
            byte[] bytes = response.body();
            json = bytes == null || bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            // not JSON (a proxy's error page?): keep the status, drop the body, which could echo anything
            json = JSON.createObjectNode();
        }
        return new Response(response.statusCode(), json);
    }

    private static void requireOk(Response r, String method, String apiPath) throws VaultException {
        if (r.status >= 200 && r.status < 300) {
            return;
        }
        List<String> errors = new ArrayList<>();
        r.body.path("errors").forEach(e -> errors.add(e.asText()));
        throw new VaultException("Vault " + method + " " + apiPath + ": HTTP " + r.status
                + (errors.isEmpty() ? "" : " " + errors), r.status, errors);
    }

    /** Percent-encodes each path segment; refuses empty and dot segments (they would change the API path). */
    static String encodePath(String path) {
        String trimmed = trimSlashes(path);
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty secret path");
        }
        List<String> parts = new ArrayList<>();
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("invalid secret path: " + path);
            }
            parts.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }

    @Override
    public String toString() {
        return "VaultKvClient[" + address + ", mount=" + mount + ", token hidden]";
    }
}
