package io.romadr.worker.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.romadr.activities.alertmanager.AlertmanagerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A transparent hop between Alertmanager and the worker host on 127.0.0.1: forwards each webhook request (method,
 * body, Authorization and Content-Type) to the host, returns the host's answer to Alertmanager, and records both
 * with the instant the request arrived. So a test knows when the webhook arrived and what the host said about
 * each alert (started / attached / resolved_recorded / ignored / refused / invalid) without touching the host's code.
 */
final class WebhookTap implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Exchange(Instant arrivedAt, JsonNode request, int status, JsonNode response, Instant answeredAt) {
        List<String> actions() {
            List<String> a = new ArrayList<>();
            response.path("alerts").forEach(x -> a.add(x.path("action").asText()));
            return a;
        }
    }

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Exchange> exchanges = new ArrayList<>();

    WebhookTap(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + target.getPath());
    }

    private void handle(HttpExchange ex) throws IOException {
        Instant arrived = Instant.now();
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            HttpRequest.Builder fwd = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                    .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Authorization", "Content-Type")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    fwd.header(h, v);
                }
            }
            HttpResponse<byte[]> r;
            try {
                r = http.send(fwd.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                record(new Exchange(arrived, parse(body), 502, JSON.createObjectNode().put("tapError", e.toString()),
                        Instant.now()));
                ex.sendResponseHeaders(502, -1);
                return;
            }
            record(new Exchange(arrived, parse(body), r.statusCode(), parse(r.body()), Instant.now()));
            r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                ex.getResponseBody().write(r.body());
            }
        }
    }

    private void record(Exchange e) {
        synchronized (exchanges) {
            exchanges.add(e);
            exchanges.notifyAll();
        }
    }

    private static JsonNode parse(byte[] b) {
        try {
            return b.length == 0 ? JSON.createObjectNode() : JSON.readTree(b);
        } catch (IOException e) {
            return JSON.createObjectNode().put("unparsable", new String(b, StandardCharsets.UTF_8));
        }
    }

    List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Waits until {@code count} exchanges satisfy {@code which}; returns all so far. */
    List<Exchange> await(Predicate<Exchange> which, int count, Duration timeout, AlertmanagerProcess am) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (exchanges) {
            while (exchanges.stream().filter(which).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " matching webhook exchanges within " + timeout
                            + ", got " + exchanges.stream().filter(which).count() + " of " + exchanges.size() + ": "
                            + exchanges.stream().map(x -> x.status() + " " + x.request().path("status").asText()
                                    + " -> " + x.response()).toList()
                            + "\nAlertmanager log tail:\n" + am.logTail(30));
                }
                try {
                    exchanges.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return List.copyOf(exchanges);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
