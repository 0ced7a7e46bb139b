package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Set;

/**
 * Slack's published Block Kit rules for an incoming webhook message (api.slack.com/reference/block-kit), as far as
 * they can be checked without Slack: block types, text object types and lengths, field counts, button URLs.
 */
final class BlockKitFormat {
    private static final Set<String> BLOCK_TYPES = Set.of("actions", "context", "divider", "file", "header", "image",
            "input", "rich_text", "section", "video");

    private BlockKitFormat() {
    }

    static void assertValid(JsonNode message) {
        assertTrue(message.path("text").isTextual() && !message.path("text").asText().isBlank(),
                "a fallback text for notifications");
        JsonNode blocks = message.path("blocks");
        assertTrue(blocks.isArray() && blocks.size() > 0 && blocks.size() <= 50, "1 to 50 blocks");
        for (JsonNode block : blocks) {
            String type = block.path("type").asText();
            assertTrue(BLOCK_TYPES.contains(type), "block type " + type);
            if (block.has("block_id")) {
                assertTrue(block.get("block_id").asText().length() <= 255, "block_id at most 255");
            }
            switch (type) {
                case "header" -> {
                    assertEquals("plain_text", block.path("text").path("type").asText(), "header text is plain_text");
                    assertText(block.path("text"), 150, "header");
                }
                case "section" -> {
                    assertTrue(block.has("text") || block.has("fields"), "a section has text or fields");
                    if (block.has("text")) {
                        assertText(block.get("text"), 3000, "section text");
                    }
                    if (block.has("fields")) {
                        assertTrue(block.get("fields").size() <= 10, "at most 10 fields");
                        for (JsonNode field : block.get("fields")) {
                            assertText(field, 2000, "section field");
                        }
                    }
                }
                case "actions" -> {
                    JsonNode elements = block.path("elements");
                    assertTrue(elements.isArray() && elements.size() > 0 && elements.size() <= 25, "1 to 25 elements");
                    for (JsonNode element : elements) {
                        if (element.path("type").asText().equals("button")) {
                            assertEquals("plain_text", element.path("text").path("type").asText(), "button text");
                            assertText(element.path("text"), 75, "button text");
                            String url = element.path("url").asText();
                            assertTrue(url.length() <= 3000, "button url at most 3000");
                            URI uri = URI.create(url);
                            assertTrue(Set.of("http", "https").contains(uri.getScheme()) && uri.getHost() != null,
                                    "button url is absolute http(s): " + url);
                            assertTrue(element.path("action_id").asText().length() <= 255, "action_id at most 255");
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    private static void assertText(JsonNode text, int max, String what) {
        String type = text.path("type").asText();
        assertTrue(type.equals("plain_text") || type.equals("mrkdwn"), what + ": text object type " + type);
        String value = text.path("text").asText();
        assertFalse(value.isEmpty(), what + " is not empty");
        assertTrue(value.length() <= max, what + " at most " + max + " characters, got " + value.length());
    }
}
