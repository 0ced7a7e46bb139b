package io.romadr.activities.backup;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks one artifact: strict, well-formed JSON (one value, nothing after it; an empty file is invalid) and, when a
 * schema is given, valid against it. A problem reads like {@code line 3, column 7: Unexpected end-of-input ...}.
 */
final class ArtifactValidator {
    static final int SCHEMA_MESSAGES = 3;
    private static final int MAX_PROBLEM_CHARS = 500;
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Schema schema;

    private ArtifactValidator(Schema schema) {
        this.schema = schema;
    }

    /**
     * {@code schemaFile} may be null (well-formedness only). A missing or unreadable schema refuses (non-retryable):
     * no retry can make it appear, and validating without it would call broken artifacts valid.
     */
    static ArtifactValidator forSchema(Path schemaFile) {
        if (schemaFile == null) {
            return new ArtifactValidator(null);
        }
        byte[] text;
        try {
            text = Files.readAllBytes(schemaFile);
        } catch (NoSuchFileException e) {
            throw new BackupRefusedException("SchemaNotFound", "JSON Schema file " + schemaFile + " does not exist");
        } catch (IOException e) {
            throw new BackupRefusedException("SchemaUnreadable", "cannot read JSON Schema file " + schemaFile + ": "
                    + e);
        }
        try {
            JsonNode node = STRICT.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new BackupRefusedException("InvalidSchema", "JSON Schema file " + schemaFile + " is empty");
            }
            // a schema without "$schema" is read as draft 2020-12
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
            return new ArtifactValidator(registry.getSchema(node));
        } catch (JsonProcessingException e) {
            throw new BackupRefusedException("InvalidSchema", "JSON Schema file " + schemaFile + " is not valid JSON: "
                    + describe(e));
        } catch (IOException e) {
            throw new BackupRefusedException("SchemaUnreadable", "cannot read JSON Schema file " + schemaFile + ": "
                    + e);
        } catch (SchemaException | IllegalArgumentException e) {
            throw new BackupRefusedException("InvalidSchema", "JSON Schema file " + schemaFile + " is not a usable"
                    + " schema: " + e.getMessage());
        }
    }

    /** The problem with the artifact read from {@code content} (not closed), or empty when it is valid. */
    Optional<String> check(InputStream content) throws IOException {
        JsonNode node;
        try {
            node = STRICT.readTree(content);
        } catch (JsonProcessingException e) {
            return Optional.of(describe(e));
        }
        if (node == null || node.isMissingNode()) {
            return Optional.of("empty file (no JSON value)");
        }
        if (schema == null) {
            return Optional.empty();
        }
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder("schema: ");
        for (int i = 0; i < Math.min(SCHEMA_MESSAGES, errors.size()); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(message(errors.get(i)));
        }
        if (errors.size() > SCHEMA_MESSAGES) {
            sb.append(" (and ").append(errors.size() - SCHEMA_MESSAGES).append(" more)");
        }
        return Optional.of(cut(sb.toString()));
    }

    /** "/path/in/document: message"; the document itself is "(root)". */
    private static String message(Error e) {
        String at = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        return (at.isEmpty() ? "(root)" : at) + ": " + e.getMessage();
    }

    /** "line L, column C: message" without Jackson's source description. */
    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        message = message.lines().findFirst().orElse("")
                .replaceAll("\\[Source: [^\\]]*?; line", "[line");
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1
                ? ""
                : "line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + ": ";
        return cut(where + message);
    }

    private static String cut(String text) {
        return text.length() <= MAX_PROBLEM_CHARS ? text : text.substring(0, MAX_PROBLEM_CHARS) + "...";
    }
}
