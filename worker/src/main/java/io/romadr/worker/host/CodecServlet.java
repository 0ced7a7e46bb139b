package io.romadr.worker.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.romadr.activities.credentials.Secret;
import io.romadr.temporal.codec.AesGcmPayloadCodec;
import io.romadr.temporal.codec.PayloadKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's remote codec protocol on the worker host, for the Web UI ("codec server") and {@code temporal
 * --codec-endpoint}: {@code POST <path>/encode} and {@code <path>/decode} take and answer the protobuf JSON of
 * {@code temporal.api.common.v1.Payloads}, through roma-dr's {@link AesGcmPayloadCodec}. Order of checks: CORS
 * origin (403, no CORS headers), rate limit per client address (429 with Retry-After), bearer token (401),
 * {@code X-Namespace} (403), content type (415), size (413), JSON (400), payloads the codec cannot read (422 naming
 * the payload's index). Payload bytes are never logged and no answer echoes them: errors name positions, key ids
 * and exception classes only.
 */
public final class CodecServlet extends HttpServlet {
    static final String NAMESPACE_HEADER = "X-Namespace";
    static final String ALLOWED_HEADERS = "authorization, content-type, x-namespace";
    private static final Logger log = LoggerFactory.getLogger(CodecServlet.class);
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    /** Client addresses whose buckets are kept at once. */
    private static final int MAX_CLIENTS = 10_000;

    private final transient AesGcmPayloadCodec codec;
    private final transient BearerTokens tokens;
    private final Set<String> namespaces;
    private final Set<String> origins;
    private final transient ClientRateLimiter limiter;
    private final transient WebhookBodies bodies;
    private final transient ObjectMapper json;
    private final transient RomaMetrics metrics;

    CodecServlet(AesGcmPayloadCodec codec, BearerTokens tokens, Set<String> namespaces, Set<String> origins,
            ClientRateLimiter limiter, WebhookBodies bodies, ObjectMapper json, RomaMetrics metrics) {
        this.codec = codec;
        this.tokens = tokens;
        this.namespaces = Set.copyOf(namespaces);
        this.origins = Set.copyOf(origins);
        this.limiter = limiter;
        this.bodies = bodies;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * Serves the endpoint on {@code environment}'s application port when the host has payload keys; logs why not
     * otherwise. Configured but unreadable keys or tokens stop start-up naming their source.
     */
    static void serve(RomaDrConfiguration.CodecSettings settings, String defaultNamespace, Map<String, String> env,
            io.dropwizard.core.setup.Environment environment, RomaMetrics metrics) {
        PayloadKeys keys = PayloadKeys.fromEnvironment(env);
        if (keys == null) {
            log.info("codec endpoint {} not served: no payload keys ({} or {} is not set)", settings.path(),
                    PayloadKeys.FILE_ENV, PayloadKeys.ENV);
            return;
        }
        List<Secret> secrets = new ArrayList<>();
        for (int i = 0; i < settings.bearerTokens().size(); i++) {
            var ref = settings.bearerTokens().get(i);
            Secret.resolve("codec.bearerTokens[" + i + "]", ref.file(), ref.env(), env).ifPresent(secrets::add);
        }
        BearerTokens tokens = new BearerTokens(secrets, settings.jwt() == null
                ? null
                : JwtVerifier.of(settings.jwt(), environment.getObjectMapper()));
        Set<String> namespaces = Set.copyOf(settings.namespaces().isEmpty()
                ? List.of(defaultNamespace)
                : settings.namespaces());
        CodecServlet servlet = new CodecServlet(new AesGcmPayloadCodec(keys), tokens, namespaces,
                Set.copyOf(settings.allowedOrigins()),
                new ClientRateLimiter(settings.requestsPerSecond(), settings.burst(), MAX_CLIENTS, System::nanoTime),
                new WebhookBodies(environment.getObjectMapper(), settings.maxBodyBytes()),
                environment.getObjectMapper(), metrics);
        environment.servlets().addServlet("codec", servlet).addMapping(settings.path() + "/*");
        if (!tokens.configured()) {
            log.warn(
                    "codec endpoint {} refuses every request: no bearer token configured (codec.bearerTokens or codec.jwt)",
                    settings.path());
        }
        log.info("codec endpoint: POST {}/encode and {}/decode, namespace(s) {}, keys {} (encrypting with {}), "
                + "browser origin(s) {}, {}, {} request(s)/s per client (burst {})", settings.path(),
                settings.path(), namespaces, keys.source(), keys.currentId(),
                settings.allowedOrigins().isEmpty() ? "none" : settings.allowedOrigins(), tokens,
                settings.requestsPerSecond(), settings.burst());
    }

    /** The CORS preflight: the allowed origin gets exactly itself back; any other (or none) 403. */
    @Override
    protected void doOptions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String origin = request.getHeader("Origin");
        if (origin == null || !origins.contains(origin)) {
            metrics.codecRequest("preflight", "forbidden");
            answer(response, WebhookException.forbidden("origin not allowed"));
            return;
        }
        allowOrigin(response, origin);
        response.setHeader("Access-Control-Allow-Methods", "POST");
        response.setHeader("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        response.setHeader("Access-Control-Max-Age", "600");
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        metrics.codecRequest("preflight", "ok");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // the protocol's rule: only the URL's last segment says which (so <path>/{namespace}/decode works too)
        String path = String.valueOf(request.getPathInfo());
        String operation = switch (path.substring(path.lastIndexOf('/') + 1)) {
            case "encode" -> "encode";
            case "decode" -> "decode";
            default -> null;
        };
        if (operation == null) {
            metrics.codecRequest("unknown", "not_found");
            answer(response, WebhookException.notFound("POST " + request.getServletPath() + "/encode or /decode"));
            return;
        }
        try {
            byte[] answer = handle(operation, request, response);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/json");
            response.setContentLength(answer.length);
            response.getOutputStream().write(answer);
            metrics.codecRequest(operation, "ok");
        } catch (WebhookException e) {
            metrics.codecRequest(operation, e.answer().outcome());
            answer(response, e);
        } catch (RuntimeException e) {
            // the class only: a message could quote what it failed on
            log.warn("codec endpoint: {} failed: {}", operation, e.getClass().getName());
            metrics.codecRequest(operation, "error");
            answer(response, WebhookException.internal("cannot " + operation + " the payloads ("
                    + e.getClass().getSimpleName() + ")"));
        }
    }

    private byte[] handle(String operation, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            if (!origins.contains(origin)) {
                throw WebhookException.forbidden("origin not allowed");
            }
            allowOrigin(response, origin);
        }
        long waitMillis = limiter.take(request.getRemoteAddr());
        if (waitMillis > 0) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, (waitMillis + 999) / 1000)));
            throw WebhookException.tooManyRequests("rate limit: retry after the time Retry-After says");
        }
        tokens.check(request.getHeader("Authorization"));
        String namespace = request.getHeader(NAMESPACE_HEADER);
        if (namespace == null || !namespaces.contains(namespace.strip())) {
            throw WebhookException.forbidden(namespace == null
                    ? NAMESPACE_HEADER + " required"
                    : "namespace not served by this codec endpoint");
        }
        bodies.requireJson(request.getContentType());
        byte[] body = bodies.read(request.getInputStream(), request.getHeader("Content-Length"));
        Payloads.Builder in = Payloads.newBuilder();
        try {
            PARSER.merge(new String(body, StandardCharsets.UTF_8), in);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            // parsed again only to say why: a syntax error with line and column (never the text), else the shape
            bodies.json(body);
            throw WebhookException.badRequest("the body is not temporal.api.common.v1.Payloads in JSON "
                    + "({\"payloads\":[{\"metadata\":{\"encoding\":\"<base64>\"},\"data\":\"<base64>\"}]})");
        }
        List<Payload> out = operation.equals("encode") ? encode(in.getPayloadsList()) : decode(in.getPayloadsList());
        return PRINTER.print(Payloads.newBuilder().addAllPayloads(out).build()).getBytes(StandardCharsets.UTF_8);
    }

    private List<Payload> encode(List<Payload> payloads) {
        try {
            return codec.encode(payloads);
        } catch (PayloadCodecException e) {
            throw WebhookException.unprocessable("payloads", e.getMessage());
        }
    }

    /** One by one, so a payload the keys cannot read is named by its index. */
    private List<Payload> decode(List<Payload> payloads) {
        List<Payload> out = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            try {
                out.addAll(codec.decode(List.of(payloads.get(i))));
            } catch (PayloadCodecException e) {
                throw WebhookException.unprocessable("payloads[" + i + "]", e.getMessage());
            }
        }
        return out;
    }

    private static void allowOrigin(HttpServletResponse response, String origin) {
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Credentials", "true");
        response.setHeader("Access-Control-Expose-Headers", "Retry-After");
        response.addHeader("Vary", "Origin");
    }

    private void answer(HttpServletResponse response, WebhookException e) throws IOException {
        byte[] body = json.writeValueAsBytes(e.answer());
        response.setStatus(e.answer().code());
        if (e.answer().code() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"roma-dr\"");
        }
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
