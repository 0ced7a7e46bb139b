package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Set;

/**
 * PagerDuty Events API v2's published request format (developer.pagerduty.com, "Send an Alert Event"), checked
 * field by field: what PagerDuty would reject with "400 Invalid event" fails here.
 */
final class EventsV2Format {
    private static final Set<String> TOP_LEVEL = Set.of("routing_key", "event_action", "dedup_key", "payload",
            "images", "links", "client", "client_url");
    private static final Set<String> PAYLOAD = Set.of("summary", "source", "severity", "timestamp", "component",
            "group", "class", "custom_details");
    private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    private EventsV2Format() {
    }

    static void assertValid(JsonNode event) {
        for (Iterator<String> names = event.fieldNames(); names.hasNext();) {
            String name = names.next();
            assertTrue(TOP_LEVEL.contains(name), "unknown top-level field " + name);
        }
        assertTrue(event.path("routing_key").isTextual(), "routing_key is a string");
        assertEquals(32, event.path("routing_key").asText().length(), "routing_key is the 32-character key");
        String action = event.path("event_action").asText();
        assertTrue(ACTIONS.contains(action), "event_action " + action);
        JsonNode dedup = event.path("dedup_key");
        if (!action.equals("trigger") || !dedup.isMissingNode() && !dedup.isNull()) {
            assertTrue(dedup.isTextual(), "dedup_key is a string (required for " + action + ")");
            assertFalse(dedup.asText().isEmpty(), "dedup_key is not empty");
            assertTrue(dedup.asText().length() <= 255, "dedup_key is at most 255 characters");
        }
        if (action.equals("trigger")) {
            JsonNode payload = event.path("payload");
            assertTrue(payload.isObject(), "a trigger has a payload");
            for (Iterator<String> names = payload.fieldNames(); names.hasNext();) {
                String name = names.next();
                assertTrue(PAYLOAD.contains(name), "unknown payload field " + name);
            }
            String summary = payload.path("summary").asText();
            assertTrue(payload.path("summary").isTextual() && !summary.isEmpty() && summary.length() <= 1024,
                    "payload.summary is 1 to 1024 characters");
            assertTrue(payload.path("source").isTextual() && !payload.path("source").asText().isEmpty(),
                    "payload.source is required");
            assertTrue(SEVERITIES.contains(payload.path("severity").asText()), "payload.severity");
            if (payload.has("timestamp") && !payload.get("timestamp").isNull()) {
                OffsetDateTime.parse(payload.get("timestamp").asText()); // ISO 8601
            }
            for (String text : new String[]{"component", "group", "class"}) {
                assertTrue(!payload.has(text) || payload.get(text).isTextual() || payload.get(text).isNull(),
                        "payload." + text + " is a string");
            }
            assertTrue(!payload.has("custom_details") || payload.get("custom_details").isObject(),
                    "payload.custom_details is an object");
        }
        if (event.has("links") && !event.get("links").isNull()) {
            assertTrue(event.get("links").isArray(), "links is an array");
            for (JsonNode link : event.get("links")) {
                assertTrue(link.path("href").isTextual() && !link.path("href").asText().isEmpty(), "links[].href");
                assertTrue(!link.has("text") || link.get("text").isTextual(), "links[].text is a string");
            }
        }
        if (event.has("images") && !event.get("images").isNull()) {
            assertTrue(event.get("images").isArray(), "images is an array");
        }
    }
}
