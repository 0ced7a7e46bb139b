package io.romadr.scenario.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;

/**
 * The drill report as pretty JSON, its record fields as they are (the same fields as the workflow's result). Unknown
 * fields are ignored when read, so an older CLI still reads a report a newer worker stored.
 */
public final class DrillReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private DrillReportJson() {
    }

    public static String toJson(DrillReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            // a record of strings, numbers and lists always serializes; this is a programming error
            throw new IllegalStateException("cannot write the drill report as JSON", e);
        }
    }

    public static DrillReport fromJson(String json) {
        try {
            return MAPPER.readValue(json, DrillReport.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a drill report: " + e.getOriginalMessage(), e);
        }
    }
}
