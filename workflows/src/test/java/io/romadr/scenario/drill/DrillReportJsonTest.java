package io.romadr.scenario.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillReportJsonTest {
    @Test
    void aReportReadsBackEqual() {
        for (DrillReport report : List.of(DrillReportSamples.finished(), DrillReportSamples.running())) {
            assertEquals(report, DrillReportJson.fromJson(DrillReportJson.toJson(report)));
        }
    }

    @Test
    void theJsonIsTheRecordsFieldsWithTheTemplatesValues() throws Exception {
        JsonNode json = new ObjectMapper().readTree(DrillReportJson.toJson(DrillReportSamples.finished()));
        assertEquals(DrillReport.class.getRecordComponents().length, json.size());
        assertEquals("2026-12-07", json.get("date").asText());
        assertTrue(json.get("success").asBoolean());
        assertEquals(83_000L, json.get("rtoActualMillis").asLong());
        assertEquals("Injected fault: kill roma", json.get("timeline").get(2).get("action").asText());
        assertEquals("fault", json.get("timeline").get(2).get("phase").asText());
        assertEquals("bob", json.get("actionItems").get(0).get("owner").asText());
        // a running drill has no result yet: null, not false
        JsonNode running = new ObjectMapper().readTree(DrillReportJson.toJson(DrillReportSamples.running()));
        assertTrue(running.get("success").isNull());
        assertTrue(running.get("rtoActualMillis").isNull());
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnoredAndGarbageIsRefused() {
        String json = DrillReportJson.toJson(DrillReportSamples.running());
        String newer = json.replaceFirst("\\{", "{\"addedLater\": 1,");
        assertEquals(DrillReportSamples.running(), DrillReportJson.fromJson(newer));
        assertThrows(UncheckedIOException.class, () -> DrillReportJson.fromJson("[1, 2]"));
    }
}
