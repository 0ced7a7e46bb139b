package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dikhan.pagerduty.client.events.JacksonObjectMapper;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import org.junit.jupiter.api.Test;

/** The Events API v2 requests PagerDutyChannel builds, serialized as the client library sends them. */
class PagerDutyEventTest {
    private static final String ROUTING_KEY = "R0MAdrTestRoutingKey0123456789ab";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode wire(Object event) throws Exception {
        JsonNode json = JSON.readTree(new JacksonObjectMapper().writeValue(event));
        EventsV2Format.assertValid(json);
        return json;
    }

    private static Notice withKeyAndTitle(Notice n, String key, String title) {
        return new Notice(key, n.resolve(), n.event(), n.workflowId(), n.plan(), n.kind(), n.scenario(), n.step(),
                title, n.detail(), n.nextAction(), n.rtoMillis(), n.elapsedMillis(), n.at());
    }

    @Test
    void everyOpeningEventIsAValidTriggerAtItsSeverity() throws Exception {
        for (NotifyEvent event : NotifyEvent.values()) {
            if (!event.opens()) {
                continue;
            }
            JsonNode json = wire(PagerDutyChannel.trigger(TestNotices.opening(event), ROUTING_KEY, TestNotices.LINK,
                    "sre-oncall"));
            assertEquals(event.severity().id(), json.get("payload").get("severity").asText(), event.id());
            assertEquals(event.id(), json.get("payload").get("class").asText());
        }
    }

    @Test
    void aResolutionIsAValidResolveOfTheSameKey() throws Exception {
        Notice opened = TestNotices.opening(NotifyEvent.BACKUP_FAILED);
        JsonNode json = wire(PagerDutyChannel.resolve(TestNotices.resolution(opened), ROUTING_KEY));
        assertEquals("resolve", json.get("event_action").asText());
        assertEquals(opened.key(), json.get("dedup_key").asText());
    }

    @Test
    void longKeysAndTitlesAreCutToTheApiLimits() throws Exception {
        Notice base = TestNotices.opening(NotifyEvent.FAILED);
        Notice a = withKeyAndTitle(base, "k".repeat(300) + "/a", "t".repeat(2000));
        Notice b = withKeyAndTitle(base, "k".repeat(300) + "/b", "t".repeat(2000));

        JsonNode json = wire(PagerDutyChannel.trigger(a, ROUTING_KEY, TestNotices.LINK, "sre-oncall"));
        assertEquals(255, json.get("dedup_key").asText().length());
        assertEquals(PagerDutyChannel.dedupKey(a), PagerDutyChannel.dedupKey(a), "stable across retries");
        assertNotEquals(PagerDutyChannel.dedupKey(a), PagerDutyChannel.dedupKey(b), "distinct keys stay distinct");
        assertEquals(1024, json.get("payload").get("summary").asText().length());
    }

    @Test
    void noLinkWithoutAWebUi() throws Exception {
        JsonNode json = wire(PagerDutyChannel.trigger(TestNotices.opening(NotifyEvent.RTO_50), ROUTING_KEY, "",
                "sre-oncall"));
        assertTrue(json.path("links").isNull() || json.path("links").isEmpty(), json.toString());
        assertFalse(json.toString().contains("127.0.0.1:8233"));
        assertEquals("warning", json.get("payload").get("severity").asText());
    }
}
