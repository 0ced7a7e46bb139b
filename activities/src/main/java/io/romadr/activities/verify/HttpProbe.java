package io.romadr.activities.verify;

import io.romadr.plan.HttpCheck;
import io.romadr.scenario.servicefailure.CheckResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** An HTTP health check from the worker host: GET, healthy when the status is the expected one within the timeout. */
public class HttpProbe {
    private final HttpClient client;

    public HttpProbe() {
        this(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build());
    }

    public HttpProbe(HttpClient client) {
        this.client = client;
    }

    public CheckResult probe(String name, HttpCheck check) {
        long start = System.nanoTime();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(check.url()))
                    .timeout(check.timeout())
                    .header("User-Agent", "roma-dr")
                    .GET()
                    .build();
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            long ms = elapsedMillis(start);
            int status = response.statusCode();
            boolean ok = status == check.expectStatus();
            return new CheckResult(name, ok, "HTTP " + status + " in " + ms + " ms"
                    + (ok ? "" : " (expected " + check.expectStatus() + ")"));
        } catch (HttpTimeoutException e) {
            return new CheckResult(name, false, "no answer within " + check.timeout().toMillis() + " ms ("
                    + check.url() + ")");
        } catch (ConnectException e) {
            return new CheckResult(name, false, "connection refused or unreachable: " + check.url()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        } catch (IOException | IllegalArgumentException e) {
            return new CheckResult(name, false, e.getClass().getSimpleName() + ": " + e.getMessage() + " ("
                    + check.url() + ") after " + elapsedMillis(start) + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckResult(name, false, "interrupted");
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
