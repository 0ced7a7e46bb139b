package io.romadr.activities.docker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When do all of some health URLs answer 200? Starts a probe of every URL every {@code interval}, each on a fresh
 * connection, without waiting for the previous one: a probe to a killed container's published port can hang (the
 * port proxy still accepts, the container behind it is gone), and one hanging probe must not delay the next. The
 * answer is the {@link System#nanoTime()} at which, for every URL, a probe had come back 200 (the latest of the
 * URLs' first successes), so it is late by at most one interval plus one probe's round trip.
 */
public final class HealthWatch {
    private HealthWatch() {
    }

    public static long awaitAllOk(List<String> urls, Duration interval, Duration timeout) {
        AtomicLongArray firstOk = new AtomicLongArray(urls.size());
        ExecutorService probes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "health-watch");
            t.setDaemon(true);
            return t;
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long latest = 0;
                boolean all = true;
                for (int i = 0; i < urls.size(); i++) {
                    long t = firstOk.get(i);
                    all &= t != 0;
                    latest = Math.max(latest, t);
                }
                if (all) {
                    return latest;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not healthy within " + timeout + ": " + urls);
                }
                for (int i = 0; i < urls.size(); i++) {
                    if (firstOk.get(i) == 0) {
                        int index = i;
                        probes.execute(() -> {
                            if (ok(urls.get(index))) {
                                firstOk.compareAndSet(index, 0, System.nanoTime());
                            }
                        });
                    }
                }
                try {
                    Thread.sleep(interval.toMillis()); // the probe interval of a loop with a deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            probes.shutdownNow();
        }
    }

    /** One GET on a fresh connection (HTTP/1.0, closed after the answer); true on status 200. */
    public static boolean ok(String url) {
        URI u = URI.create(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(u.getHost(), u.getPort()), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET " + u.getRawPath() + " HTTP/1.0\r\nHost: " + u.getHost() + ":"
                    + u.getPort() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return status != null && status.matches("HTTP/1\\.[01] 200( .*)?");
        } catch (IOException e) {
            return false;
        }
    }

}
