package io.romadr.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard parses, has the seed's three dashboards as rows, takes its Prometheus data source from the
 * {@code DS_PROMETHEUS} variable, and every panel queries it with a PromQL expression over roma-dr's metrics (the
 * expressions are evaluated against a real Prometheus in {@link PrometheusMonitoringTest}).
 */
class DashboardTest {
    @Test
    void dashboardHasTheThreeRowsAndPrometheusQueries() throws Exception {
        Dashboard d = Dashboard.load();
        assertTrue(d.json().path("schemaVersion").asInt() >= 36, "schemaVersion");
        assertEquals(List.of("Service health", "Backup status", "Recovery metrics"), d.rowTitles());
        JsonNode variables = d.json().path("templating").path("list");
        assertEquals("DS_PROMETHEUS", variables.get(0).path("name").asText());
        assertEquals("datasource", variables.get(0).path("type").asText());
        assertEquals("prometheus", variables.get(0).path("query").asText());

        assertTrue(d.panels().size() >= 12, "panels: " + d.panels().size());
        for (JsonNode p : d.panels()) {
            String title = p.path("title").asText();
            assertEquals("${DS_PROMETHEUS}", p.path("datasource").path("uid").asText(), title);
            assertFalse(p.path("targets").isEmpty(), title + " has no query");
            p.path("targets").forEach(t -> {
                assertEquals("${DS_PROMETHEUS}", t.path("datasource").path("uid").asText(), title);
                assertFalse(t.path("expr").asText().isBlank(), title + " has an empty expr");
            });
        }
    }

    @Test
    void everyQueryUsesRomaDrMetricsOrTheWorkerJob() throws Exception {
        Pattern metric = Pattern.compile("\\b(romadr_[a-z_]+|up)\\{");
        for (Dashboard.Query q : Dashboard.load().queries()) {
            Matcher m = metric.matcher(q.expr());
            assertTrue(m.find(), q + " names no roma-dr metric");
            assertFalse(q.promql().contains("$"), q + " has a variable the test does not set");
        }
    }
}
