package io.romadr.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Loads and validates YAML plans. Every problem is reported as {@code file:line: field.path: what was expected},
 * so a broken plan is fixed in one look rather than discovered in the middle of a recovery.
 */
public final class PlanLoader {
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public RecoveryPlan load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PlanException(file.toString(), 0, "", "cannot read the plan: " + e.getMessage());
        }
        RecoveryPlan plan = parse(file.toString(), text);
        String expected = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        if (!plan.name().equals(expected)) {
            throw new PlanException(file.toString(), lineOf(text, "name"), "name",
                    "the plan's name \"" + plan.name() + "\" must match its file name \"" + expected + ".yaml\"");
        }
        return plan;
    }

    public RecoveryPlan parse(String fileName, String text) {
        if (text.isBlank()) {
            throw new PlanException(fileName, 1, "", "the plan is empty");
        }
        try {
            return yaml.readValue(text, RecoveryPlan.class);
        } catch (JsonMappingException e) {
            throw describe(fileName, text, e);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new PlanException(fileName, loc == null ? 0 : loc.getLineNr(), "",
                    "not valid YAML: " + e.getOriginalMessage());
        }
    }

    private PlanException describe(String fileName, String text, JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining())
                .replaceFirst("^\\.", "");
        String problem = e.getOriginalMessage();
        Throwable cause = e.getCause();
        if (e instanceof ValueInstantiationException && cause instanceof InvalidFieldException f) {
            path = path.isEmpty() ? f.field() : path + "." + f.field();
            problem = f.getMessage();
        } else if (e instanceof UnrecognizedPropertyException u) {
            problem = "unknown field \"" + u.getPropertyName() + "\"; known fields here: "
                    + u.getKnownPropertyIds();
        } else if (problem != null && problem.startsWith("Missing required creator property")) {
            String field = problem.replaceFirst("Missing required creator property '([^']*)'.*", "$1");
            String full = path.isEmpty() || path.equals(field) || path.endsWith("." + field) ? path
                    : path + "." + field;
            full = full.isEmpty() ? field : full;
            String parent = full.contains(".") ? full.substring(0, full.lastIndexOf('.')) : "";
            return new PlanException(fileName, parent.isEmpty() ? 1 : lineOf(text, parent), full,
                    "is required but missing");
        } else if (cause instanceof IllegalArgumentException iae && cause.getMessage() != null) {
            problem = iae.getMessage();
        }
        int line = lineOf(text, path);
        if (line <= 0 && e.getLocation() != null) {
            line = e.getLocation().getLineNr();
        }
        return new PlanException(fileName, line, path, problem);
    }

    /**
     * The line where a dotted field path (e.g. {@code service.healthChecks[0].http.url}) starts, or the line of its
     * nearest parent that exists; 0 when not even the first segment is found.
     */
    int lineOf(String text, String path) {
        try (JsonParser p = yaml.getFactory().createParser(text)) {
            if (p.nextToken() == null) {
                return 0;
            }
            int[] best = {0};
            Integer found = walk(p, "", path, best, p.currentTokenLocation().getLineNr());
            return found != null ? found : best[0];
        } catch (IOException e) {
            return 0;
        }
    }

    /** Walks the value the parser stands on; {@code here} is that value's path, {@code line} where its key is. */
    private static Integer walk(JsonParser p, String here, String target, int[] best, int line) throws IOException {
        if (!here.isEmpty()) {
            if (here.equals(target)) {
                return line;
            }
            if (target.startsWith(here + ".") || target.startsWith(here + "[")) {
                best[0] = line;
            }
        }
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = here.isEmpty() ? p.currentName() : here + "." + p.currentName();
                int childLine = p.currentTokenLocation().getLineNr();
                p.nextToken();
                Integer r = walk(p, child, target, best, childLine);
                if (r != null) {
                    return r;
                }
            }
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                Integer r = walk(p, here + "[" + i++ + "]", target, best, p.currentTokenLocation().getLineNr());
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }
}
