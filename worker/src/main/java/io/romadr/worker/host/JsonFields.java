package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the fields of an untrusted JSON object with its type checked by hand, so every JSON value in every field
 * (null, number, boolean, array, object, a huge string) is either what the field takes or a 400 naming the field
 * ({@code alerts[3].labels.service}), never an exception the host did not expect.
 */
final class JsonFields {
    /** Longest string any webhook field takes; bodies are capped anyway, this keeps workflow inputs small. */
    static final int MAX_TEXT = 4096;

    private final JsonNode object;
    private final String at;

    private JsonFields(JsonNode object, String at) {
        this.object = object;
        this.at = at;
    }

    /** The object at {@code at} ("" for the body itself), or a 400 when it is not a JSON object. */
    static JsonFields of(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw WebhookException.badField(at.isEmpty() ? "body" : at, "must be a JSON object, got "
                    + kind(node));
        }
        return new JsonFields(node, at);
    }

    String path(String field) {
        return at.isEmpty() ? field : at + "." + field;
    }

    /** A string field; null (or absent) when not {@code required}. */
    String text(String field, boolean required) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw WebhookException.badField(path(field), "missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw WebhookException.badField(path(field), "must be a string, got " + kind(v));
        }
        if (v.textValue().length() > MAX_TEXT) {
            throw WebhookException.badField(path(field), "longer than " + MAX_TEXT + " characters");
        }
        if (required && v.textValue().isBlank()) {
            throw WebhookException.badField(path(field), "missing");
        }
        return v.textValue();
    }

    /** An object of string values (labels, annotations); empty when absent and not {@code required}. */
    Map<String, String> strings(String field, boolean required) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw WebhookException.badField(path(field), "missing");
            }
            return Map.of();
        }
        JsonFields inner = of(v, path(field));
        Map<String, String> map = new LinkedHashMap<>();
        for (var it = v.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (name.length() > MAX_TEXT) {
                throw WebhookException.badField(inner.path(name.substring(0, 40) + "..."), "name too long");
            }
            map.put(name, inner.text(name, false) == null ? "" : inner.text(name, false));
        }
        return map;
    }

    /** A non-negative whole number; null when absent. */
    Long count(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw WebhookException.badField(path(field), "must be a whole number of 0 or more, got " + kind(v));
        }
        return v.longValue();
    }

    /** An object field; null when absent or JSON null, a 400 when it is another kind of value. */
    JsonNode object(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw WebhookException.badField(path(field), "must be a JSON object, got " + kind(v));
        }
        return v;
    }

    /** An array field, required. */
    JsonNode array(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            throw WebhookException.badField(path(field), "missing");
        }
        if (!v.isArray()) {
            throw WebhookException.badField(path(field), "must be an array, got " + kind(v));
        }
        return v;
    }

    static String kind(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "null";
        }
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> v.getNodeType().name().toLowerCase();
        };
    }
}
