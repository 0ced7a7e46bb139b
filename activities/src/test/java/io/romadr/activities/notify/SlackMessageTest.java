package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.util.json.GsonFactory;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Slack message as the SDK serializes it: Block Kit rules, content, limits. */
class SlackMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode render(Notice notice, String link) throws Exception {
        JsonNode message = JSON.readTree(GsonFactory.createSnakeCase().toJson(SlackChannel.message(notice, link)));
        BlockKitFormat.assertValid(message);
        return message;
    }

    private static List<String> types(JsonNode message) {
        List<String> types = new ArrayList<>();
        message.get("blocks").forEach(b -> types.add(b.get("type").asText()));
        return types;
    }

    @Test
    void anApprovalShowsTheFactsTheCommandAndTheLink() throws Exception {
        Notice notice = TestNotices.opening(NotifyEvent.APPROVAL_PENDING);
        JsonNode message = render(notice, TestNotices.LINK);

        assertEquals(List.of("header", "section", "section", "section", "actions"), types(message));
        JsonNode blocks = message.get("blocks");
        assertEquals("🚨 " + notice.title(), blocks.get(0).get("text").get("text").asText());
        List<String> fields = new ArrayList<>();
        blocks.get(1).get("fields").forEach(f -> fields.add(f.get("text").asText()));
        assertEquals(List.of("*Plan*\nroma", "*Scenario*\nservice-failure", "*Step*\nrestart-container",
                "*RTO used*\n42% of 15m00s (6m18s elapsed)"), fields);
        assertEquals(notice.detail(), blocks.get(2).get("text").get("text").asText());
        assertEquals("*Next action*\nApprove the recreate or deny it:\n`" + TestNotices.APPROVE + "`", blocks.get(3)
                .get("text").get("text").asText());
        JsonNode button = blocks.get(4).get("elements").get(0);
        assertEquals("Open in Temporal", button.get("text").get("text").asText());
        assertEquals(TestNotices.LINK, button.get("url").asText());
        assertTrue(message.get("text").asText().startsWith(notice.title()));
    }

    @Test
    void aResolutionReadsResolvedAndHasNoButtonWithoutALink() throws Exception {
        Notice resolved = TestNotices.resolution(TestNotices.opening(NotifyEvent.RTO_80));
        JsonNode message = render(resolved, "");

        assertEquals("✅ Resolved: " + resolved.title(), message.get("blocks").get(0).get("text").get("text")
                .asText());
        assertFalse(types(message).contains("actions"));
        assertTrue(message.get("text").asText().startsWith("Resolved: "));
    }

    @Test
    void longTextsAreCutToBlockKitLimitsAndMarkupIsEscaped() throws Exception {
        Notice base = TestNotices.opening(NotifyEvent.FAILED);
        Notice notice = new Notice(base.key(), false, base.event(), base.workflowId(), base.plan(), base.kind(), "",
                "<!channel> & step", "x".repeat(400), "d".repeat(5000), "", 0, 1000, base.at());
        JsonNode message = render(notice, TestNotices.LINK);

        JsonNode blocks = message.get("blocks");
        assertEquals(150, blocks.get(0).get("text").get("text").asText().length());
        assertEquals("*Scenario*\n-", blocks.get(1).get("fields").get(1).get("text").asText());
        assertEquals("*Step*\n&lt;!channel&gt; &amp; step", blocks.get(1).get("fields").get(2).get("text").asText());
        assertEquals("*RTO used*\nno RTO", blocks.get(1).get("fields").get(3).get("text").asText());
        assertEquals(3000, blocks.get(2).get("text").get("text").asText().length());
        assertEquals(List.of("header", "section", "section", "actions"), types(message), "no empty next action");
    }
}
