package io.romadr.worker.host;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reading a webhook body as untrusted input: JSON content type only (415), at most {@code maxBytes} read, counted
 * while reading so an endless chunked body costs no more than the limit (413), and JSON errors as 400 never echoing
 * the body.
 */
public final class WebhookBodies {
    private final ObjectMapper mapper;
    private final long maxBytes;

    public WebhookBodies(ObjectMapper mapper, long maxBytes) {
        this.mapper = mapper.copy()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // Alertmanager may add fields
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public void requireJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null || contentType.isBlank() ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw WebhookException.unsupportedMediaType("an unparseable Content-Type");
        }
        if (type == null || !"application".equalsIgnoreCase(type.getType())
                || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw WebhookException.unsupportedMediaType(type == null ? null : type.getType() + "/" + type.getSubtype());
        }
    }

    /**
     * As {@link #requireJson(String)}, and also accepting {@code vendorType}, a sender's own JSON type such as the
     * registry's {@code application/vnd.docker.distribution.events.v1+json}.
     */
    public void requireJson(String contentType, String vendorType) {
        try {
            MediaType type = contentType == null || contentType.isBlank() ? null : MediaType.valueOf(contentType);
            if (type != null && vendorType.equalsIgnoreCase(type.getType() + "/" + type.getSubtype())) {
                return;
            }
        } catch (IllegalArgumentException e) {
            // requireJson says what is wrong with it
        }
        requireJson(contentType);
    }

    /** The whole body, refused with 413 as soon as the declared length or the bytes read pass the limit. */
    public byte[] read(InputStream in, String contentLength) {
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > maxBytes) {
                    throw WebhookException.tooLarge(maxBytes);
                }
            } catch (NumberFormatException e) {
                throw WebhookException.badRequest("Content-Length is not a number");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + (long) n > maxBytes) {
                    throw WebhookException.tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw WebhookException.badRequest("the body could not be read: " + e.getClass().getSimpleName());
        }
        return out.toByteArray();
    }

    /**
     * The body as a JSON tree, for {@link JsonFields} to read with every field's type checked. Duplicate keys are
     * refused (which one would count is a guess); Jackson's own limits (nesting depth, number length) are 400s.
     */
    public JsonNode json(byte[] body) {
        if (body.length == 0) {
            throw WebhookException.badRequest("the body is empty; expected a JSON object");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw WebhookException.badRequest("the body is empty; expected a JSON object");
            }
            return tree;
        } catch (JsonParseException e) {
            throw malformed(e);
        } catch (JsonProcessingException e) {
            throw WebhookException.badRequest("malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw WebhookException.badRequest("the body could not be read as JSON");
        }
    }

    private static WebhookException malformed(JsonParseException e) {
        return e.getLocation() == null
                ? WebhookException.badRequest("malformed JSON")
                : WebhookException.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr());
    }

    private static String firstLine(String message) {
        String line = message == null
                ? "invalid value"
                : message.lines().findFirst().orElse("invalid value")
                        .replaceFirst("\\s*\\(?(start marker )?at \\[Source:.*$", "");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
