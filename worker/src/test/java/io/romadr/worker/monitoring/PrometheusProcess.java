package io.romadr.worker.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.LocalServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real Prometheus (the Debian package {@code prometheus}) for tests: scrapes one worker host's admin port
 * ({@code /prometheus}, job {@value MonitoringFiles#JOB}) every second, evaluates the given rule files every second,
 * sends alerts to one Alertmanager, keeps its storage in a temp directory, listens on a free 127.0.0.1 port, and
 * answers instant queries through its HTTP API. A missing binary is a failure naming the package. Public for the
 * alerting drill's end-to-end test, which scrapes a sandbox service instead ({@link #scraping}).
 */
public final class PrometheusProcess extends LocalServerProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String binary;
    private final Path dir;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusProcess(String binary, Path dir, int port) {
        super("Prometheus", dir.resolve("prometheus.log"), Duration.ofSeconds(60));
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    /**
     * @param target       the worker host's admin connector, {@code 127.0.0.1:<port>}
     * @param alertmanager {@code 127.0.0.1:<port>} of an Alertmanager, or null for none
     * @param ruleFiles    rule files to load (absolute)
     */
    static PrometheusProcess start(String target, String alertmanager, List<Path> ruleFiles) {
        return scraping(MonitoringFiles.JOB, target, "/prometheus", alertmanager, ruleFiles);
    }

    /**
     * As {@link #start}, scraping {@code job} at {@code target} (host:port) on {@code metricsPath}.
     */
    public static PrometheusProcess scraping(String job, String target, String metricsPath, String alertmanager,
            List<Path> ruleFiles) {
        String binary = MonitoringFiles.prometheus();
        Path dir;
        try {
            dir = Files.createTempDirectory("roma-dr-prometheus-");
            StringBuilder y = new StringBuilder();
            y.append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
            y.append("rule_files:\n");
            ruleFiles.forEach(f -> y.append("  - '").append(f).append("'\n"));
            if (alertmanager != null) {
                y.append("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['")
                        .append(alertmanager).append("']\n");
            }
            y.append("scrape_configs:\n  - job_name: ").append(job).append('\n');
            y.append("    metrics_path: ").append(metricsPath).append('\n');
            y.append("    static_configs:\n      - targets: ['").append(target).append("']\n");
            Files.writeString(dir.resolve("prometheus.yml"), y.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Prometheus configuration", e);
        }
        PrometheusProcess p = new PrometheusProcess(binary, dir, freePort());
        p.launch();
        return p;
    }

    @Override
    protected List<String> command() {
        return List.of(binary,
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.external-url=http://127.0.0.1:" + port + "/",
                "--log.level=info");
    }

    @Override
    protected Optional<String> notReady() throws IOException, InterruptedException {
        return httpAnswers(uri("/-/ready"), 200);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** {@code GET /api/v1/query}: the {@code data.result} array of an instant query (an error says why). */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query " + promql + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return body.path("data").path("result");
    }

    /** {@code GET /api/v1/alerts}: the alerts pending or firing now. */
    JsonNode alerts() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/v1/alerts"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data").path("alerts");
    }

    @Override
    public void close() {
        super.close();
        deleteTree(dir.resolve("data"));
    }
}
