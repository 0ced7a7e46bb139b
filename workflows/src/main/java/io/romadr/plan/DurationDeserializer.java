package io.romadr.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
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
            BigDecimal seconds = p.getDecimalValue();
            return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
        }
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
        try {
            return Durations.parse(p.getText());
        } catch (IllegalArgumentException e) {
            throw ctxt.weirdStringException(p.getText(), Duration.class, e.getMessage());
        }
    }
}
