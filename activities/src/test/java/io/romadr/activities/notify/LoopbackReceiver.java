package io.romadr.activities.notify;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An HTTP endpoint on 127.0.0.1 standing in for a channel's service (PagerDuty, Slack, a webhook): it records every
 * request and answers what the test tells it, or never answers (a hung service).
 */
public final class LoopbackReceiver implements AutoCloseable {
    public record Request(String method, String path, Headers headers, byte[] body) {
        public String header(String name) {
            return headers.getFirst(name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body);
        }

        public static Answer text(int status, String body) {
            return new Answer(status, "text/plain", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Function<Request, Answer> answer = r -> Answer.text(200, "ok");
    private volatile boolean silent;
    private volatile boolean stallBody;

    private LoopbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes());
                requests.add(request);
                if (silent) {
                    closed.await(2, TimeUnit.MINUTES);
                    return;
                }
                if (stallBody) {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write('{');
                    exchange.getResponseBody().flush();
                    closed.await(2, TimeUnit.MINUTES);
                    return;
                }
                Answer a = answer.apply(request);
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", a.contentType());
                exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    public static LoopbackReceiver start() throws IOException {
        return new LoopbackReceiver();
    }

    /** A loopback URL nothing listens on (a port just bound and released). */
    public static String refusingUrl(String path) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public void answer(Function<Request, Answer> answer) {
        this.answer = answer;
    }

    /** Accept requests and never answer them, until closed. */
    public void neverAnswer() {
        silent = true;
    }

    /** Answer again (requests already held stay unanswered until closed). */
    public void answerAgain() {
        silent = false;
        stallBody = false;
    }

    /** Answer 200 and the first byte of a body, then nothing more, until closed. */
    public void stallAfterHeaders() {
        stallBody = true;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
