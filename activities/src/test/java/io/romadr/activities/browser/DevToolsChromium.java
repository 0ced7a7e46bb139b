package io.romadr.activities.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.poll.Deadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol ({@code --remote-debugging-port},
 * one WebSocket to its page, java.net.http only): for tests that need what {@link HeadlessChromium}'s one-shot runs
 * cannot do, such as a single-page app that loads its data after the page, or a header every request must carry
 * ({@code Network.setExtraHTTPHeaders}). One browser, one profile of its own, its log next to it. A missing chromium
 * is a failure.
 */
public final class DevToolsChromium extends LocalServerProcess {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(30);

    private final Path profile;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private WebSocket socket;

    private DevToolsChromium(Path work) {
        super("chromium (DevTools)", work.resolve("chromium-devtools.log"), START);
        this.profile = work.resolve("chromium-profile");
    }

    /** A browser on {@code about:blank}, connected to its page. {@code work} holds profile and log. */
    public static DevToolsChromium start(Path work) throws IOException {
        Files.createDirectories(work);
        DevToolsChromium chromium = new DevToolsChromium(work);
        chromium.launch();
        try {
            chromium.connect();
        } catch (RuntimeException e) {
            chromium.close();
            throw e;
        }
        return chromium;
    }

    @Override
    protected List<String> command() {
        return List.of(HeadlessChromium.binary(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--no-default-browser-check", "--window-size=1400,2000",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile.toAbsolutePath(), "about:blank");
    }

    /** Ready when chromium wrote the port it listens on ({@code DevToolsActivePort} in the profile). */
    @Override
    protected Optional<String> notReady() throws IOException {
        Path file = profile.resolve("DevToolsActivePort");
        return Files.isRegularFile(file) && Files.readAllLines(file).size() >= 2
                ? Optional.empty()
                : Optional.of("no " + file + " yet");
    }

    private void connect() throws IOException {
        int port = Integer.parseInt(Files.readAllLines(profile.resolve("DevToolsActivePort")).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        JsonNode targets;
        try {
            targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String url = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                url = t.path("webSocketDebuggerUrl").asText();
                break;
            }
        }
        if (url == null) {
            throw new IllegalStateException("chromium has no page target: " + targets);
        }
        socket = http.newWebSocketBuilder().buildAsync(URI.create(url), new Listener()).join();
    }

    /** One DevTools command; its result, or a failure with the protocol's error. */
    public JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).join();
        JsonNode reply;
        try {
            reply = answer.get(CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("DevTools " + method + ": no answer (" + e + "); chromium's log:\n"
                    + logTail());
        } finally {
            pending.remove(id);
        }
        if (reply.has("error")) {
            throw new IllegalStateException("DevTools " + method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** Sends {@code headers} with every request this page makes from now on. */
    public void extraHeaders(Map<String, String> headers) {
        call("Network.enable", Map.of());
        call("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    public void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page, as text. */
    public String evaluate(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        return r.path("result").path("value").asText("");
    }

    /** The value a JavaScript promise resolves to in the page (e.g. a {@code fetch}), as text. */
    public String evaluatePromise(String expression) {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        return r.path("result").path("value").asText("");
    }

    /** The page's visible text, polled until {@code until} holds it or the deadline passes (then the last text). */
    public String pollText(Duration deadline, Predicate<String> until) throws IOException {
        Deadline d = Deadline.after(deadline);
        String text = evaluate("document.body ? document.body.innerText : ''");
        while (!until.test(text) && !d.passed()) {
            Deadline.pause(d.next(Duration.ofMillis(250)));
            text = evaluate("document.body ? document.body.innerText : ''");
        }
        return text;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
        super.close();
        deleteTree(profile);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text.getBytes(StandardCharsets.UTF_8));
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> f = pending.get(message.get("id").asInt());
                        if (f != null) {
                            f.complete(message);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
