package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Plain HTTP to the host under test, so every header (or its absence) is what the test says. */
final class HostClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final int port;
    private final int adminPort;

    HostClient(int port, int adminPort) {
        this.port = port;
        this.adminPort = adminPort;
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    Reply post(String path, String body, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(uri(port, path)), headers)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Chunked: no Content-Length, so the limit must be enforced while reading. */
    Reply postChunked(String path, byte[] body, String... headers) {
        return send(withHeaders(HttpRequest.newBuilder(uri(port, path)), headers)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
    }

    /**
     * Chunked over a raw socket: the JDK client loses the answer when the server answers and closes while the
     * client is still sending, which is exactly what a large body should get.
     */
    Reply postChunkedRaw(String path, byte[] body, String... headers) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            var out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            try {
                for (int off = 0; off < body.length; off += 1000) {
                    int n = Math.min(1000, body.length - off);
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, off, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server answered and closed before the whole body was sent: that is the point
            }
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Reply(Integer.parseInt(response.substring(9, 12)), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply admin(String path) {
        return send(HttpRequest.newBuilder(uri(adminPort, path)).GET());
    }

    Reply alertmanager(String body) {
        return post("/webhooks/alertmanager", body, "Content-Type", "application/json",
                "Authorization", "Bearer " + HostFakes.BEARER);
    }

    /** Signed over {@code <now>.<body>}, as a sender does. */
    Reply recover(String body) {
        return recover(body, Long.toString(java.time.Instant.now().getEpochSecond()));
    }

    /** Signed over {@code <timestamp>.<body>} (the raw body when null), the timestamp header sent as given. */
    Reply recover(String body, String timestamp) {
        String signed = timestamp == null ? body : timestamp + "." + body;
        String signature = "sha256=" + HexFormat.of().formatHex(io.romadr.activities.notify.WebhookSignature.hmacSha256(
                HostFakes.HMAC_KEY.getBytes(StandardCharsets.UTF_8), signed.getBytes(StandardCharsets.UTF_8)));
        return timestamp == null
                ? post("/webhooks/recover", body, "Content-Type", "application/json", "X-Roma-Signature", signature)
                : post("/webhooks/recover", body, "Content-Type", "application/json", "X-Roma-Signature", signature,
                        "X-Roma-Timestamp", timestamp);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An Alertmanager v4 payload with the given alerts. */
    static String payload(String status, List<Map<String, Object>> alerts) {
        try {
            return JSON.writeValueAsString(Map.of("version", "4", "groupKey", "{}:{alertname=\"x\"}",
                    "truncatedAlerts", 0, "status", status, "receiver", "roma-dr", "groupLabels", Map.of(),
                    "commonLabels", Map.of(), "commonAnnotations", Map.of(), "externalURL", "http://127.0.0.1:9093",
                    "alerts", alerts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> alert(String status, String fingerprint, Map<String, String> labels) {
        return alert(status, fingerprint, labels, "2026-11-26T10:00:00Z");
    }

    static Map<String, Object> alert(String status, String fingerprint, Map<String, String> labels,
            String startsAt) {
        return Map.of("status", status, "labels", labels, "annotations", Map.of("summary", "ROMA is down"),
                "startsAt", startsAt, "endsAt",
                status.equals("resolved") ? "2026-11-26T10:05:00Z" : "0001-01-01T00:00:00Z",
                "generatorURL", "http://127.0.0.1:9090/graph", "fingerprint", fingerprint);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            // A fresh client per request: the host closes a connection after refusing a body (401/413) unread, and a
            // pooled connection the next test picked up failed with "header parser received no bytes".
            HttpResponse<String> r = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder withHeaders(HttpRequest.Builder b, String... headers) {
        return headers.length == 0 ? b : b.headers(headers);
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
