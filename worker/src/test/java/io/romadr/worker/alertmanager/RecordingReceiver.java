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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A plain webhook receiver on 127.0.0.1 ({@code com.sun.net.httpserver}) that records every request Alertmanager
 * makes to {@code /webhooks/alertmanager} and answers 200. Waiting is by condition with a deadline.
 */
final class RecordingReceiver implements AutoCloseable {
    static final String PATH = "/webhooks/alertmanager";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Delivery(Instant arrivedAt, String method, String path, String authorization, String contentType,
            String body, JsonNode json) {
        String status() {
            return json.path("status").asText();
        }

        List<String> fingerprints() {
            List<String> f = new ArrayList<>();
            json.path("alerts").forEach(a -> f.add(a.path("fingerprint").asText()));
            return f;
        }
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new ArrayList<>();

    RecordingReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    private void handle(HttpExchange ex) throws IOException {
        Instant arrived = Instant.now();
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = JSON.createObjectNode().put("unparsable", body);
            }
            synchronized (deliveries) {
                deliveries.add(new Delivery(arrived, ex.getRequestMethod(), ex.getRequestURI().getPath(),
                        ex.getRequestHeaders().getFirst("Authorization"),
                        ex.getRequestHeaders().getFirst("Content-Type"), body, json));
                deliveries.notifyAll();
            }
            ex.sendResponseHeaders(200, -1);
        }
    }

    List<Delivery> deliveries() {
        synchronized (deliveries) {
            return List.copyOf(deliveries);
        }
    }

    /** Waits until {@code count} deliveries satisfy {@code which}; returns all deliveries so far. */
    List<Delivery> await(Predicate<Delivery> which, int count, Duration timeout, AlertmanagerProcess am) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (deliveries) {
            while (deliveries.stream().filter(which).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " matching webhook deliveries within " + timeout
                            + ", got " + deliveries.stream().filter(which).count() + " (of " + deliveries.size()
                            + "): " + deliveries.stream().map(Delivery::body).toList()
                            + "\nAlertmanager log tail:\n" + am.logTail(40));
                }
                try {
                    deliveries.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return List.copyOf(deliveries);
        }
    }

    /** Waits the whole {@code window} and returns what arrived; for asserting that nothing more comes. */
    List<Delivery> observeFor(Duration window) {
        long deadline = System.nanoTime() + window.toNanos();
        synchronized (deliveries) {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                try {
                    deliveries.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            return List.copyOf(deliveries);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
