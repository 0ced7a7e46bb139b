package io.romadr.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;

/**
 * One value of a plan's {@code env:} map. A plan carries no secret: a plain literal ({@code LOG_LEVEL: debug}) is
 * for what anyone may read, {@code {fromEnv: VAR}} names an environment variable of the worker and
 * {@code {fromFile: /run/secrets/x}} a file on the worker; both are resolved by the activity that uses them, so the
 * value never enters the plan, the workflow history or the Web UI.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvValue(String value, String fromEnv, String fromFile) {

    private static final List<String> FIELDS = List.of("value", "fromEnv", "fromFile");

    public EnvValue {
        int set = (value != null ? 1 : 0) + (fromEnv != null ? 1 : 0) + (fromFile != null ? 1 : 0);
        InvalidFieldException.require(set == 1, "fromEnv",
                "expected a plain value, {fromEnv: VARIABLE} or {fromFile: /absolute/path}");
        InvalidFieldException.require(fromEnv == null || fromEnv.matches("[A-Za-z_][A-Za-z0-9_]{0,127}"), "fromEnv",
                "expected the name of an environment variable of the worker, e.g. ROMA_DB_PASSWORD");
        InvalidFieldException.require(fromFile == null || (fromFile.startsWith("/") && !fromFile.contains("\0")),
                "fromFile", "expected an absolute path of a file on the worker, e.g. /run/secrets/db_password");
    }

    public static EnvValue literal(String value) {
        return new EnvValue(value, null, null);
    }

    /** A plain scalar is a literal; a mapping names where the worker reads the value (also the form history holds). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static EnvValue fromJson(JsonNode node) {
        if (node.isValueNode() && !node.isNull()) {
            return literal(node.asText());
        }
        InvalidFieldException.require(node.isObject(), "fromEnv",
                "expected a plain value, {fromEnv: VARIABLE} or {fromFile: /absolute/path}");
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            InvalidFieldException.require(FIELDS.contains(f), f,
                    "unknown field; expected {fromEnv: VARIABLE} or {fromFile: /absolute/path}");
            InvalidFieldException.require(node.get(f).isNull() || node.get(f).isTextual(), f, "expected a string");
        }
        return new EnvValue(text(node, "value"), text(node, "fromEnv"), text(node, "fromFile"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Where the value comes from, for messages: never the value of a variable or file. */
    public String source() {
        return fromEnv != null ? "environment variable " + fromEnv : fromFile != null ? "file " + fromFile : "the plan";
    }
}
