package io.romadr.temporal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a workflow input strictly (unknown fields, wrong types, duplicate fields and non-objects are refused; the
 * SDK's own mapper ignores unknown fields and coerces numbers to strings) and says what was wrong together with
 * the JSON that is expected, derived from the input record itself so the message cannot drift from the code.
 */
public final class WorkflowInputs {
    private static final ObjectMapper STRICT = strictMapper();
    private static final ObjectMapper PLAIN = new ObjectMapper();
    /**
     * One reader per input record, built (with its deserializer) when the converter is made, not on the first read:
     * that read runs in a workflow thread, where a slow first use on a busy host trips the SDK's deadlock detector.
     */
    private static final Map<Class<?>, ObjectReader> READERS = RomaWorkflows.INPUTS.values().stream().distinct()
            .collect(Collectors.toUnmodifiableMap(type -> type, STRICT::readerFor));
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");

    private WorkflowInputs() {
    }

    /** The record read from JSON; null for no input at all (empty payload or JSON null), which the check refuses. */
    public static <T> T read(byte[] json, Class<T> record) {
        if (!READERS.containsKey(record)) {
            throw new IllegalArgumentException(record.getName() + " is not a workflow input");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            throw invalid(record, duplicate.find()
                    ? "field \"" + duplicate.group(1) + "\" is given twice"
                    : "not valid JSON (" + firstLine(e.getOriginalMessage()) + ")");
        } catch (java.io.IOException e) {
            throw invalid(record, "cannot be read (" + e.getMessage() + ")");
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw invalid(record, "not a JSON object but " + kind(node));
        }
        // A missing true/false field takes its default; an explicit null is a mistake (Jackson cannot tell them apart).
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getType().isPrimitive() && node.has(c.getName()) && node.get(c.getName()).isNull()) {
                throw invalid(record, "field \"" + c.getName() + "\" must be " + shape(c.getType(), c.getType()));
            }
        }
        try {
            return READERS.get(record).readValue(node);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw invalid(record, problem(e, record));
        }
    }

    /** The records read strictly: the workflow inputs. */
    public static Set<Class<?>> types() {
        return READERS.keySet();
    }

    /** "ServiceRecoveryWorkflow input: {problem}; expected {...}" with the workflow type when known. */
    public static String message(Class<?> record, String problem) {
        return what(record) + " input: " + problem + "; expected " + expected(record);
    }

    public static InvalidWorkflowInput invalid(Class<?> record, String problem) {
        return new InvalidWorkflowInput(message(record, problem));
    }

    /** E.g. {@code {"plan": "<name>", "reason": "...", "requestedBy": "..."}}, from the record's components. */
    public static String expected(Class<?> record) {
        StringJoiner json = new StringJoiner(", ", "{", "}");
        for (RecordComponent c : record.getRecordComponents()) {
            json.add("\"" + c.getName() + "\": "
                    + (c.getName().equals("plan") ? "\"<name>\"" : example(c.getType(), c.getGenericType())));
        }
        return json.toString();
    }

    private static String example(Class<?> type, Type generic) {
        if (type == boolean.class || type == Boolean.class) {
            return "false";
        }
        if (type.isEnum()) {
            return "\"" + String.join("|", enumValues(type)) + "\"";
        }
        if (List.class.isAssignableFrom(type) && generic instanceof ParameterizedType p
                && p.getActualTypeArguments()[0] instanceof Class<?> element) {
            return "[" + example(element, element) + "]";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "0";
        }
        return "\"...\"";
    }

    /** What a field must be, e.g. "a string", "true or false", "one of \"state\", ...". */
    private static String shape(Class<?> type, Type generic) {
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of \"" + String.join("\", \"", enumValues(type)) + "\"";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list like " + example(type, generic);
        }
        return "like " + example(type, generic);
    }

    private static List<String> enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(v -> PLAIN.valueToTree(v).asText()).toList();
    }

    private static String problem(Exception e, Class<?> record) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\"";
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && mapping.getPath().get(0).getFieldName() != null) {
            String field = mapping.getPath().get(0).getFieldName();
            for (RecordComponent c : record.getRecordComponents()) {
                if (c.getName().equals(field)) {
                    return "field \"" + field + "\" must be " + shape(c.getType(), c.getGenericType());
                }
            }
            return "field \"" + field + "\" is wrong";
        }
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return "does not fit (" + firstLine(message) + ")";
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            default -> String.valueOf(node.getNodeType()).toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The workflow type when read by a workflow (its input), else the record's name. */
    private static String what(Class<?> record) {
        return WorkflowUnsafe.isWorkflowThread() ? Workflow.getInfo().getWorkflowType() : record.getSimpleName();
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        for (LogicalType textual : List.of(LogicalType.Textual, LogicalType.Enum)) {
            mapper.coercionConfigFor(textual)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        return mapper;
    }
}
