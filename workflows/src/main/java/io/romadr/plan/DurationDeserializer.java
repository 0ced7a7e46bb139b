package io.romadr.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Reads plan durations in the human form ("15m") and in the forms Temporal's Jackson mapper writes (ISO-8601
 * strings, or decimal seconds), so the same records load from YAML and from workflow history.
 */
public final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal seconds;
            try {
                seconds = p.getDecimalValue();
            } catch (NumberFormatException | JsonProcessingException e) { // .inf, .nan
                throw JsonMappingException.from(p, "expected a duration such as 30s, 15m, 1h30m or 7d, got "
                        + p.getText());
            }
            try {
                return Durations.ofSeconds(seconds, p.getText());
            } catch (IllegalArgumentException e) {
                throw JsonMappingException.from(p, e.getMessage());
            }
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw JsonMappingException.from(p, "expected a duration such as 30s, 15m, 1h30m or 7d, got "
                    + describe(p));
        }
        try {
            return Durations.parse(p.getText());
        } catch (IllegalArgumentException e) {
            throw JsonMappingException.from(p, e.getMessage());
        }
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE
                ? "a boolean (" + p.getText() + ")"
                : t == JsonToken.START_OBJECT
                        ? "a mapping"
                        : t == JsonToken.START_ARRAY
                                ? "a list"
                                : t == JsonToken.VALUE_NULL ? "nothing" : p.getText();
    }
}
