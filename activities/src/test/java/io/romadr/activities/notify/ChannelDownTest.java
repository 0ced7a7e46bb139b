package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.romadr.activities.LocalServerProcess;
import io.romadr.activities.notify.NotificationSettings.AlertmanagerTarget;
import io.romadr.activities.notify.NotificationSettings.EmailSettings;
import io.romadr.activities.notify.NotificationSettings.SecretRef;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A channel that is down fails promptly with a clear message, within the settings' timeout: nothing listening
 * (connection refused), an Alertmanager answering 500, and a server that accepts the connection and never answers.
 * The Alertmanager's URL credentials never appear in the messages; the configured name does.
 */
@Tag("integration")
class ChannelDownTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Scheduling on a busy 2-core machine; far below "a recovery waits for it". */
    private static final Duration SLACK = Duration.ofSeconds(4);

    @TempDir
    Path tmp;

    @Test
    void alertmanagerRefusingTheConnectionFailsPromptly() {
        int port = LocalServerProcess.freePort();
        Exception e = failsWithin(TIMEOUT.plus(SLACK), () -> alertmanager("http://127.0.0.1:" + port).send(
                alertDelivery(), ""));
        assertEquals("Alertmanager 'primary' refused the connection or is unreachable", e.getMessage());
    }

    @Test
    void alertmanagerAnswering500FailsWithTheStatus() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "internal error: storage full".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Exception e = failsWithin(TIMEOUT.plus(SLACK), () -> alertmanager(
                    "http://127.0.0.1:" + server.getAddress().getPort()).send(alertDelivery(), ""));
            assertEquals("Alertmanager 'primary' answered HTTP 500: internal error: storage full", e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void alertmanagerThatNeverAnswersTimesOutWithinTheSettingsTimeout() throws Exception {
        try (Silent silent = new Silent()) {
            Exception e = failsWithin(TIMEOUT.plus(SLACK), () -> alertmanager(
                    "http://user:url-secret@127.0.0.1:" + silent.port()).send(alertDelivery(), ""));
            assertEquals("Alertmanager 'primary' did not answer within 1.0 s", e.getMessage());
            assertFalse(e.getMessage().contains("url-secret"));
        }
    }

    @Test
    void alertmanagerCredentialsAreSentAsConfigured() throws Exception {
        List<String> authorization = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/alerts", exchange -> {
            authorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Path password = Files.writeString(tmp.resolve("am-password"), "am-Pa55\n");
            NotificationSettings settings = new NotificationSettings("", TIMEOUT, Map.of(
                    "basic", new AlertmanagerTarget(url, "roma", new SecretRef(password.toString(), null), null),
                    "bearer", new AlertmanagerTarget(url, null, null, new SecretRef(null, "AM_TOKEN"))), null, null,
                    null, null);
            AlertmanagerChannel channel = new AlertmanagerChannel(settings, Map.of("AM_TOKEN", "am-token-123"));
            channel.send(NotifyTestData.to(NotifyTestData.recoveryStarted(NotifyTestData.workflowId()),
                    ChannelType.ALERTMANAGER, "basic"), "");
            channel.send(NotifyTestData.to(NotifyTestData.recoveryStarted(NotifyTestData.workflowId()),
                    ChannelType.ALERTMANAGER, "bearer"), "");
            assertEquals(List.of("Basic " + Base64.getEncoder().encodeToString("roma:am-Pa55".getBytes(
                    StandardCharsets.UTF_8)), "Bearer am-token-123"), authorization);

            Exception unknown = assertThrows(UnknownTargetException.class, () -> channel.send(NotifyTestData.to(
                    NotifyTestData.recoveryStarted(NotifyTestData.workflowId()), ChannelType.ALERTMANAGER, "nope"),
                    ""));
            assertEquals("no Alertmanager named 'nope' is configured on this worker", unknown.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void smtpServerRefusingTheConnectionFailsPromptly() {
        int port = LocalServerProcess.freePort();
        Exception e = failsWithin(TIMEOUT.plus(SLACK), () -> email(port).send(mailDelivery(), ""));
        assertTrue(e.getMessage().startsWith("SMTP 127.0.0.1:" + port + ": Couldn't connect to host"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    }

    @Test
    void smtpServerThatNeverGreetsTimesOutWithinTheSettingsTimeout() throws Exception {
        try (Silent silent = new Silent()) {
            Exception e = failsWithin(TIMEOUT.plus(SLACK), () -> email(silent.port()).send(mailDelivery(), ""));
            assertTrue(e.getMessage().startsWith("SMTP 127.0.0.1:" + silent.port()), e.getMessage());
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertFalse(e.getMessage().contains("smtp-secret"), e.getMessage());
        }
    }

    private static Exception failsWithin(Duration bound, Executable send) {
        long start = System.nanoTime();
        Exception e = (Exception) assertThrows(Exception.class, send);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(bound) < 0, "failed after " + took + ", more than " + bound + ": " + e);
        return e;
    }

    private static AlertmanagerChannel alertmanager(String url) {
        NotificationSettings settings = new NotificationSettings("http://127.0.0.1:8233", TIMEOUT,
                Map.of("primary", new AlertmanagerTarget(url, null, null, null)), null, null, null, null);
        return new AlertmanagerChannel(settings, Map.of());
    }

    private static Delivery alertDelivery() {
        return NotifyTestData.to(NotifyTestData.recoveryStarted(NotifyTestData.workflowId()),
                ChannelType.ALERTMANAGER, "primary");
    }

    private static EmailChannel email(int port) {
        EmailSettings email = new EmailSettings("127.0.0.1", port, "required", "roma-dr",
                new SecretRef(null, "SMTP_PASSWORD"), "roma-dr@example.org", null);
        return new EmailChannel(new NotificationSettings("", TIMEOUT, null, null, null, email, null),
                Map.of("SMTP_PASSWORD", "smtp-secret"));
    }

    private static Delivery mailDelivery() {
        return NotifyTestData.to(NotifyTestData.recoveryStarted(NotifyTestData.workflowId()), ChannelType.EMAIL,
                "oncall@example.org");
    }

    /** Accepts TCP connections on 127.0.0.1 and never sends a byte: a hung server. */
    private static final class Silent implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        Silent() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(socket.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
