package io.romadr.activities.verify;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.romadr.plan.HttpCheck;
import io.romadr.scenario.servicefailure.CheckResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpProbeTest {
    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final HttpProbe probe = new HttpProbe();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/ok", ex -> {
            byte[] body = "ok".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/fail", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void okWhenStatusMatches() {
        CheckResult r = probe.probe("ok", new HttpCheck(url("/ok"), 200, Duration.ofSeconds(2)));
        assertTrue(r.ok(), r.detail());
        assertTrue(r.detail().matches("HTTP 200 in \\d+ ms"), r.detail());
    }

    @Test
    void failsOnOtherStatus() {
        CheckResult r = probe.probe("fail", new HttpCheck(url("/fail"), 200, Duration.ofSeconds(2)));
        assertFalse(r.ok());
        assertTrue(r.detail().contains("HTTP 500"), r.detail());
        assertTrue(probe.probe("fail", new HttpCheck(url("/fail"), 500, Duration.ofSeconds(2))).ok());
    }

    @Test
    void failsOnTimeout() {
        long start = System.nanoTime();
        CheckResult r = probe.probe("slow", new HttpCheck(url("/slow"), 200, Duration.ofMillis(300)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertFalse(r.ok());
        assertTrue(r.detail().contains("no answer within 300 ms"), r.detail());
        assertTrue(ms < 5000, "took " + ms + " ms");
    }

    @Test
    void failsWhenRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        CheckResult r = probe.probe("down", new HttpCheck("http://127.0.0.1:" + port + "/health", 200,
                Duration.ofSeconds(2)));
        assertFalse(r.ok());
        assertTrue(r.detail().contains("connection refused"), r.detail());
    }
}
