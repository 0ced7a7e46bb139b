package io.romadr.worker.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The shipped Grafana dashboard ({@code deploy/grafana/roma-dr-dashboard.json}) as tests read it. */
record Dashboard(JsonNode json) {
    /** One query of one panel. */
    record Query(String panel, String refId, String expr) {
        /** The expression as Prometheus gets it: the dashboard's {@code $plan} variable set to "All". */
        String promql() {
            return expr.replace("$plan", ".*");
        }
    }

    static Dashboard load() throws IOException {
        return new Dashboard(new ObjectMapper().readTree(Files.readString(MonitoringFiles.DASHBOARD)));
    }

    /** Every panel that is not a row, in order (rows here are not collapsed: their panels are top-level). */
    List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        json.path("panels").forEach(p -> {
            if (!"row".equals(p.path("type").asText())) {
                panels.add(p);
            }
        });
        return panels;
    }

    List<String> rowTitles() {
        List<String> rows = new ArrayList<>();
        json.path("panels").forEach(p -> {
            if ("row".equals(p.path("type").asText())) {
                rows.add(p.path("title").asText());
            }
        });
        return rows;
    }

    List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode p : panels()) {
            p.path("targets").forEach(t -> queries.add(new Query(p.path("title").asText(), t.path("refId").asText(),
                    t.path("expr").asText())));
        }
        return queries;
    }
}
