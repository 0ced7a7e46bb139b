package io.romadr.activities.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.plan.RegistryEndpoint;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI distribution (registry v2) HTTP API: manifests, blobs, uploads, tags, deletes. Every
 * download is checked against its digest. Authentication: none, basic, a fixed bearer token, or the bearer token
 * dance ({@code WWW-Authenticate: Bearer realm=...}) with the basic credentials at the token service.
 */
public final class RegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern LINK_NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final URI base;
    private final RegistryCredentials credentials;
    private final HttpClient http;
    /** Bearer tokens from the token dance, per repository (a push token also covers pull). */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    public RegistryClient(URI base, RegistryCredentials credentials) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.credentials = credentials;
        // HTTP/1.1: plain-http registries do not speak h2c; redirects (blob storage behind a registry) are followed
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A client for a plan's registry with the credentials the endpoint names (environment variables, read with
     * {@code env}); a variable that is not set is a non-retryable failure naming it and the registry's role.
     */
    public static RegistryClient forEndpoint(RegistryEndpoint endpoint, String role, Function<String, String> env) {
        URI url = URI.create(endpoint.url());
        if (endpoint.usernameEnv() == null) {
            return new RegistryClient(url, RegistryCredentials.NONE);
        }
        String username = variable(env, endpoint.usernameEnv(), "usernameEnv", role, endpoint);
        String password = variable(env, endpoint.passwordEnv(), "passwordEnv", role, endpoint);
        return new RegistryClient(url, RegistryCredentials.basic(username, password));
    }

    private static String variable(Function<String, String> env, String name, String field, String role,
            RegistryEndpoint endpoint) {
        String value = env.apply(name);
        if (value == null || value.isEmpty()) {
            throw ApplicationFailure.newNonRetryableFailure("environment variable " + name + " (" + field
                    + " of the " + role + " registry " + endpoint.url() + ") is not set on the worker",
                    "RegistryCredentialsMissing");
        }
        return value;
    }

    public URI base() {
        return base;
    }

    /** The registry's host:port, as the engine names images in it. */
    public String hostAndPort() {
        return base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort();
    }

    /** GET a manifest by tag or digest, verified against the digest asked for or the one the registry states. */
    public Manifest getManifest(String repo, String reference) {
        HttpResponse<byte[]> r = send(repo, false, () -> request(repo, "manifests/" + reference)
                .header("Accept", Manifest.ACCEPT).GET(), HttpResponse.BodyHandlers.ofByteArray());
        expect(r, 200, "GET manifest " + repo + ":" + reference);
        byte[] bytes = r.body();
        String actual = Digests.of(bytes);
        String expected = reference.startsWith("sha256:")
                ? reference
                : r.headers().firstValue("Docker-Content-Digest").orElse(actual);
        if (!actual.equals(expected)) {
            throw new RegistryException(new DigestMismatchException("manifest " + repo + "@" + reference,
                    expected, actual).getMessage(), r.statusCode());
        }
        String type = r.headers().firstValue("Content-Type").map(t -> t.split(";")[0].trim()).orElse("");
        String declared = Manifest.declaredMediaType(bytes);
        return new Manifest(declared.isEmpty() ? type : declared, actual, bytes);
    }

    /** HEAD a manifest: its digest, or empty when the registry does not have it. */
    public Optional<String> manifestDigest(String repo, String reference) {
        HttpResponse<Void> r = send(repo, false, () -> request(repo, "manifests/" + reference)
                .header("Accept", Manifest.ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        expect(r, 200, "HEAD manifest " + repo + ":" + reference);
        return Optional.of(r.headers().firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new RegistryException(
                        "HEAD manifest " + repo + ":" + reference + ": no Docker-Content-Digest",
                        r.statusCode())));
    }

    /** PUT a manifest with its exact bytes; returns the digest the registry computed. */
    public String putManifest(String repo, String reference, Manifest manifest) {
        HttpResponse<String> r = send(repo, true, () -> request(repo, "manifests/" + reference)
                .header("Content-Type", manifest.mediaType())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())), HttpResponse.BodyHandlers.ofString());
        expect(r, 201, "PUT manifest " + repo + ":" + reference);
        return r.headers().firstValue("Docker-Content-Digest").orElse(manifest.digest());
    }

    /** DELETE a manifest by digest (the registry needs {@code storage.delete.enabled}); it also drops its tags. */
    public void deleteManifest(String repo, String digest) {
        Digests.requireSha256(digest);
        HttpResponse<String> r = send(repo, true, () -> request(repo, "manifests/" + digest).DELETE(),
                HttpResponse.BodyHandlers.ofString());
        expect(r, 202, "DELETE manifest " + repo + "@" + digest);
    }

    public boolean hasBlob(String repo, String digest) {
        HttpResponse<Void> r = send(repo, false, () -> request(repo, "blobs/" + digest)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 404) {
            return false;
        }
        expect(r, 200, "HEAD blob " + repo + "@" + digest);
        return true;
    }

    /**
     * Streams a blob. The stream fails with {@link DigestMismatchException} (before its last bytes when the size is
     * known) if the content is not {@code digest}. {@code progress} runs every ~8 MiB.
     */
    public InputStream openBlob(String repo, Descriptor blob, Runnable progress) {
        Digests.requireSha256(blob.digest());
        HttpResponse<InputStream> r = send(repo, false, () -> request(repo, "blobs/" + blob.digest()).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            try (InputStream body = r.body()) {
                body.readNBytes(4096);
            } catch (IOException ignored) {
                // only draining for the connection's sake
            }
            expect(r, 200, "GET blob " + repo + "@" + blob.digest());
        }
        return new VerifyingInputStream(r.body(), "blob " + repo + "@" + blob.digest(), blob.digest(), blob.size(),
                progress);
    }

    /**
     * Uploads a blob monolithically (POST to start, PUT ?digest= with the whole body streamed). The content is
     * hashed on the way; a mismatch aborts the PUT before its last bytes and cancels the upload session. A stream
     * from {@link #openBlob} for the same blob is verified by itself (and runs its own progress, not this one).
     */
    public void pushBlob(String repo, Descriptor blob, InputStream content, Runnable progress) {
        Digests.requireSha256(blob.digest());
        if (blob.size() < 0) {
            throw new IllegalArgumentException("blob " + blob.digest() + " has no size");
        }
        HttpResponse<String> start = send(repo, true, () -> request(repo, "blobs/uploads/")
                .POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofString());
        expect(start, 202, "POST blob upload " + repo);
        URI location = base.resolve(start.headers().firstValue("Location").orElseThrow(
                () -> new RegistryException("POST blob upload " + repo + ": no Location", start.statusCode())));
        String sep = location.toString().contains("?") ? "&" : "?";
        URI put = URI.create(location + sep + "digest=" + URLEncoder.encode(blob.digest(), StandardCharsets.UTF_8));
        // a stream from openBlob for this very blob is already checked, before its last byte: hashing it a second
        // time would double the JVM's SHA-256 work for a mirror copy and verify nothing more
        VerifyingInputStream verifying = content instanceof VerifyingInputStream v && v.verifiesFromStart(blob)
                ? v
                : new VerifyingInputStream(content, "blob " + blob.digest() + " being sent to " + repo,
                        blob.digest(), blob.size(), progress);
        HttpRequest.Builder b = HttpRequest.newBuilder(put).timeout(Duration.ofHours(1))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> verifying), blob.size()));
        authorize(b, repo);
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            cancelUpload(repo, location);
            Throwable cause = e;
            while (cause != null && !(cause instanceof DigestMismatchException)) {
                cause = cause.getCause();
            }
            if (cause != null) {
                throw new RegistryException(cause.getMessage(), cause);
            }
            throw new RegistryException("PUT blob " + repo + "@" + blob.digest() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelUpload(repo, location);
            throw new RegistryException("interrupted while uploading " + blob.digest(), e);
        }
        expect(r, 201, "PUT blob " + repo + "@" + blob.digest());
    }

    /** All tags of a repository, following {@code Link: <...>; rel="next"} pages. */
    public List<String> listTags(String repo) {
        return listTags(repo, 1000);
    }

    /** {@link #listTags(String)} with a chosen page size (tests use a small one to exercise the paging). */
    List<String> listTags(String repo, int pageSize) {
        List<String> tags = new ArrayList<>();
        String next = "tags/list?n=" + pageSize;
        while (next != null) {
            String path = next;
            HttpResponse<String> r = send(repo, false, () -> path.startsWith("/")
                    ? auth(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(1)), repo).GET()
                    : request(repo, path).GET(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 404) {
                return tags;
            }
            expect(r, 200, "GET tags " + repo);
            try {
                for (JsonNode t : JSON.readTree(r.body()).path("tags")) {
                    tags.add(t.asText());
                }
            } catch (IOException e) {
                throw new RegistryException("GET tags " + repo + ": not JSON", e);
            }
            next = r.headers().firstValue("Link").map(LINK_NEXT::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).orElse(null);
        }
        return tags;
    }

    private void cancelUpload(String repo, URI location) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(location).timeout(Duration.ofSeconds(30)).DELETE();
            authorize(b, repo);
            http.send(b.build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | RuntimeException e) {
            // best effort: the registry purges abandoned uploads itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder request(String repo, String path) {
        return auth(HttpRequest.newBuilder(base.resolve("v2/" + repo + "/" + path)).timeout(Duration.ofMinutes(10)),
                repo);
    }

    private HttpRequest.Builder auth(HttpRequest.Builder b, String repo) {
        authorize(b, repo);
        return b;
    }

    private void authorize(HttpRequest.Builder b, String repo) {
        String token = tokens.get(repo);
        if (token != null) {
            b.setHeader("Authorization", "Bearer " + token);
        } else if (credentials.hasToken()) {
            b.setHeader("Authorization", credentials.bearerHeader());
        } else if (credentials.hasBasic()) {
            b.setHeader("Authorization", credentials.basicHeader());
        }
    }

    /** Sends; on a 401 with a Bearer challenge, fetches a token and retries once (bodies here are replayable). */
    private <T> HttpResponse<T> send(String repo, boolean push, Supplier<HttpRequest.Builder> builder,
            HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> r = http.send(builder.get().build(), handler);
            if (r.statusCode() == 401) {
                Optional<String> challenge = r.headers().allValues("WWW-Authenticate").stream()
                        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7)).findFirst();
                if (challenge.isPresent()) {
                    drain(r);
                    tokens.put(repo, fetchToken(challenge.get(), repo, push));
                    r = http.send(builder.get().build(), handler);
                }
            }
            return r;
        } catch (IOException e) {
            // a refused connection has no message: the exception's type is then what says why
            throw new RegistryException("registry " + base + " unreachable: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted talking to " + base, e);
        }
    }

    private static void drain(HttpResponse<?> r) {
        if (r.body() instanceof InputStream in) {
            try (in) {
                in.readNBytes(65536);
            } catch (IOException ignored) {
                // draining only
            }
        }
    }

    private String fetchToken(String challenge, String repo, boolean push) throws IOException, InterruptedException {
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        String realm = null;
        StringBuilder query = new StringBuilder();
        String scope = null;
        while (m.find()) {
            switch (m.group(1)) {
                case "realm" -> realm = m.group(2);
                case "scope" -> scope = m.group(2);
                default -> query.append(query.length() == 0 ? "" : "&").append(m.group(1)).append('=')
                        .append(URLEncoder.encode(m.group(2), StandardCharsets.UTF_8));
            }
        }
        if (realm == null) {
            throw new RegistryException("registry " + base + " sent a Bearer challenge without a realm", 401);
        }
        if (scope == null) {
            scope = "repository:" + repo + ":" + (push ? "pull,push" : "pull");
        }
        query.append(query.length() == 0 ? "" : "&").append("scope=")
                .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(realm + (realm.contains("?") ? "&" : "?") + query))
                .timeout(Duration.ofSeconds(30)).GET();
        if (credentials.hasBasic()) {
            b.header("Authorization", credentials.basicHeader());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        // the body holds the token: never put it in the message
        if (r.statusCode() != 200) {
            throw new RegistryException("token service " + URI.create(realm).getHost() + " answered HTTP "
                    + r.statusCode(), r.statusCode());
        }
        JsonNode json = JSON.readTree(r.body());
        String token = json.path("token").asText(json.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException("token service " + URI.create(realm).getHost() + " returned no token", 200);
        }
        return token;
    }

    private void expect(HttpResponse<?> r, int status, String what) {
        if (r.statusCode() != status) {
            String body = r.body() instanceof String s ? " " + s.strip() : "";
            if (body.length() > 500) {
                body = body.substring(0, 500) + "...";
            }
            throw new RegistryException(what + " at " + base + ": HTTP " + r.statusCode() + body, r.statusCode());
        }
    }

    @Override
    public String toString() {
        return "RegistryClient[" + base + ", " + credentials + "]";
    }
}
