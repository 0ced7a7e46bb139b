package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PagerDutyChannel against a loopback receiver that checks each request against the Events API v2 format. */
@Tag("integration")
class PagerDutyChannelTest {
    private static final String ROUTING_KEY = "R0MAdrTestRoutingKey0123456789ab";
    /** One timeout for the whole class: the client library keeps it in static state. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private LoopbackReceiver pagerduty;

    @BeforeEach
    void start() throws IOException {
        pagerduty = LoopbackReceiver.start();
        pagerduty.answer(r -> {
            try {
                String dedupKey = JSON.readTree(r.body()).path("dedup_key").asText();
                return LoopbackReceiver.Answer.json(202, JSON.writeValueAsString(Map.of("status", "success",
                        "message", "Event processed", "dedup_key", dedupKey)));
            } catch (IOException e) {
                return LoopbackReceiver.Answer.json(400, "{\"status\":\"invalid event\",\"message\":\"bad json\"}");
            }
        });
    }

    @AfterEach
    void stop() {
        pagerduty.close();
    }

    private PagerDutyChannel channel(String eventsUrl) throws IOException {
        var keys = Map.of("sre-oncall", TestNotices.secretFile(dir, "pd-key", ROUTING_KEY));
        return new PagerDutyChannel(TestNotices.settings(TIMEOUT, new NotificationSettings.PagerDutySettings(
                eventsUrl, keys), null, null), Map.of());
    }

    private List<JsonNode> events() throws IOException {
        var all = new java.util.ArrayList<JsonNode>();
        for (LoopbackReceiver.Request r : pagerduty.requests()) {
            assertEquals("POST", r.method());
            assertEquals("/v2/enqueue", r.path());
            assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
            JsonNode event = JSON.readTree(r.body());
            EventsV2Format.assertValid(event);
            all.add(event);
        }
        return all;
    }

    @Test
    void triggerThenResolveShareTheDedupKey() throws Exception {
        PagerDutyChannel channel = channel(pagerduty.url("/v2/enqueue"));
        Notice opened = TestNotices.opening(NotifyEvent.RTO_80);

        String paged = channel.send(TestNotices.to(opened, ChannelType.PAGERDUTY, "sre-oncall"), TestNotices.LINK);
        String resolved = channel.send(TestNotices.to(TestNotices.resolution(opened), ChannelType.PAGERDUTY,
                "sre-oncall"), TestNotices.LINK);

        List<JsonNode> events = events();
        assertEquals(2, events.size());
        assertEquals("trigger", events.get(0).get("event_action").asText());
        assertEquals("resolve", events.get(1).get("event_action").asText());
        assertEquals(opened.key(), events.get(0).get("dedup_key").asText());
        assertEquals(opened.key(), events.get(1).get("dedup_key").asText());
        assertEquals(ROUTING_KEY, events.get(0).get("routing_key").asText());
        assertEquals(ROUTING_KEY, events.get(1).get("routing_key").asText());
        assertEquals("paged via PagerDuty (dedup_key " + opened.key() + ", status success)", paged);
        assertEquals("resolved via PagerDuty (dedup_key " + opened.key() + ", status success)", resolved);
        assertFalse(paged.contains(ROUTING_KEY) || resolved.contains(ROUTING_KEY));
    }

    @Test
    void triggerCarriesThePlanScenarioStepRtoNextActionAndLink() throws Exception {
        Notice opened = TestNotices.opening(NotifyEvent.APPROVAL_PENDING);
        channel(pagerduty.url("/v2/enqueue")).send(TestNotices.to(opened, ChannelType.PAGERDUTY, "sre-oncall"),
                TestNotices.LINK);

        JsonNode event = events().get(0);
        JsonNode payload = event.get("payload");
        assertEquals(opened.title(), payload.get("summary").asText());
        assertEquals("critical", payload.get("severity").asText());
        assertEquals("roma-dr:roma", payload.get("source").asText());
        assertEquals("roma", payload.get("component").asText());
        assertEquals("service-failure", payload.get("group").asText());
        assertEquals("approval-pending", payload.get("class").asText());
        JsonNode details = payload.get("custom_details");
        assertEquals("roma", details.get("plan").asText());
        assertEquals("service-failure", details.get("scenario").asText());
        assertEquals("restart-container", details.get("step").asText());
        assertEquals("42% of 15m00s (6m18s elapsed)", details.get("rto_used").asText());
        assertTrue(details.get("next_action").asText().contains(TestNotices.APPROVE));
        assertEquals(opened.detail(), details.get("detail").asText());
        assertEquals(TestNotices.LINK, event.get("links").get(0).get("href").asText());
    }

    @Test
    void aRepeatedTriggerCarriesTheSameDedupKey() throws Exception {
        PagerDutyChannel channel = channel(pagerduty.url("/v2/enqueue"));
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.RECOVERY_STARTED), ChannelType.PAGERDUTY,
                "sre-oncall");

        channel.send(delivery, TestNotices.LINK);
        channel.send(delivery, TestNotices.LINK);

        List<JsonNode> events = events();
        assertEquals(2, events.size());
        assertEquals(events.get(0), events.get(1), "a retry sends the same event, so PagerDuty keeps one alert");
        assertEquals(delivery.notice().key(), events.get(1).get("dedup_key").asText());
    }

    @Test
    void eventsThatOpenNothingAreNotPaged() throws Exception {
        String detail = channel(pagerduty.url("/v2/enqueue")).send(TestNotices.to(TestNotices.opening(
                NotifyEvent.STEP_ESCALATED), ChannelType.PAGERDUTY, "sre-oncall"), TestNotices.LINK);

        assertEquals("not paged: informational (step-escalated)", detail);
        assertEquals(0, pagerduty.requests().size());
    }

    @Test
    void anUnknownServiceIsNotRetried() throws Exception {
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "db-team");
        var e = assertThrows(UnknownTargetException.class, () -> channel(pagerduty.url("/v2/enqueue")).send(
                delivery, TestNotices.LINK));
        assertTrue(e.getMessage().contains("'db-team'"), e.getMessage());
        assertEquals(0, pagerduty.requests().size());
    }

    @Test
    void connectionRefusedFailsWithoutTheRoutingKey() throws Exception {
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "sre-oncall");
        var e = assertThrows(IOException.class, () -> channel(LoopbackReceiver.refusingUrl("/v2/enqueue")).send(
                delivery, TestNotices.LINK));
        assertEquals("PagerDuty Events API did not take the trigger: connection refused", e.getMessage());
    }

    @Test
    void http500FailsWithoutTheRoutingKey() throws Exception {
        pagerduty
                .answer(r -> LoopbackReceiver.Answer.json(500, "{\"status\":\"error\",\"message\":\"internal error for "
                        + ROUTING_KEY + "\"}"));
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "sre-oncall");
        var e = assertThrows(IOException.class, () -> channel(pagerduty.url("/v2/enqueue")).send(delivery,
                TestNotices.LINK));
        assertTrue(e.getMessage().startsWith("PagerDuty Events API refused the trigger: status 500"), e
                .getMessage());
        assertFalse(e.getMessage().contains(ROUTING_KEY), e.getMessage());
        assertEquals(1, pagerduty.requests().size(), "no retry inside the client: the activity retries");
    }

    @Test
    void anInvalidEventAnswerIsReported() throws Exception {
        pagerduty.answer(r -> LoopbackReceiver.Answer.json(400, "{\"status\":\"invalid event\",\"message\":"
                + "\"Event object is invalid\",\"errors\":[\"Length of 'routing_key' is incorrect\"]}"));
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "sre-oncall");
        var e = assertThrows(IOException.class, () -> channel(pagerduty.url("/v2/enqueue")).send(delivery,
                TestNotices.LINK));
        assertTrue(e.getMessage().startsWith("PagerDuty Events API refused the trigger: status invalid event, "
                + "Event object is invalid"), e.getMessage());
        assertTrue(e.getMessage().contains("routing_key' is incorrect"), e.getMessage());
    }

    @Test
    void anErrorPageFailsClearly() throws Exception {
        pagerduty.answer(r -> new LoopbackReceiver.Answer(502, "text/html", "<html>Bad Gateway</html>"));
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "sre-oncall");
        var e = assertThrows(IOException.class, () -> channel(pagerduty.url("/v2/enqueue")).send(delivery,
                TestNotices.LINK));
        assertEquals("PagerDuty Events API did not take the trigger: its answer is not JSON (an HTTP error page?)", e
                .getMessage());
    }

    @Test
    void aServiceThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        pagerduty.neverAnswer();
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "sre-oncall");
        PagerDutyChannel channel = channel(pagerduty.url("/v2/enqueue"));
        long start = System.nanoTime();
        var e = assertThrows(IOException.class, () -> channel.send(delivery, TestNotices.LINK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("PagerDuty Events API did not take the trigger: no answer within 2s", e.getMessage());
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
        assertEquals(1, pagerduty.requests().size(), "the request reached the receiver, which held it");
    }

    @Test
    void anAnswerThatStopsAfterItsHeadersFailsWithinTheTimeout() throws Exception {
        pagerduty.stallAfterHeaders();
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.PAGERDUTY,
                "sre-oncall");
        PagerDutyChannel channel = channel(pagerduty.url("/v2/enqueue"));
        long start = System.nanoTime();
        var e = assertThrows(IOException.class, () -> channel.send(delivery, TestNotices.LINK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("PagerDuty Events API did not take the trigger: no answer within 2s", e.getMessage());
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
    }
}
