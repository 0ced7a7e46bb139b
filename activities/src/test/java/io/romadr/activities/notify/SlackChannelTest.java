package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.NotifyEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SlackChannel against a loopback receiver standing in for an incoming webhook (answers 200 "ok" as Slack does). */
@Tag("integration")
class SlackChannelTest {
    private static final String TOKEN_PATH = "/services/T0ROMADR/B0ROMADR/s3cr3tWebhookToken";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private LoopbackReceiver slack;

    @BeforeEach
    void start() throws IOException {
        slack = LoopbackReceiver.start();
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private SlackChannel channel(String url) throws IOException {
        return new SlackChannel(TestNotices.settings(TIMEOUT, null, Map.of("sre", TestNotices.secretFile(dir,
                "slack-url", url)), null), Map.of());
    }

    private static Delivery approval() {
        return TestNotices.to(TestNotices.opening(NotifyEvent.APPROVAL_PENDING), ChannelType.SLACK, "sre");
    }

    private static void assertNoToken(Exception e) {
        assertFalse(e.getMessage().contains("s3cr3tWebhookToken") || e.getMessage().contains("/services/"), e
                .getMessage());
    }

    @Test
    void postsABlockKitMessageToTheWebhook() throws Exception {
        String detail = channel(slack.url(TOKEN_PATH)).send(approval(), TestNotices.LINK);

        assertEquals("posted to Slack 'sre' (HTTP 200 ok)", detail);
        assertEquals(1, slack.requests().size());
        LoopbackReceiver.Request request = slack.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals(TOKEN_PATH, request.path());
        assertTrue(request.header("Content-Type").startsWith("application/json"), request.header("Content-Type"));
        JsonNode message = JSON.readTree(request.body());
        BlockKitFormat.assertValid(message);
        assertTrue(message.toString().contains("`" + TestNotices.APPROVE + "`"), message.toString());
        assertEquals(TestNotices.LINK, message.get("blocks").get(4).get("elements").get(0).get("url").asText());
    }

    @Test
    void anAnswerOtherThanOkFails() throws Exception {
        slack.answer(r -> LoopbackReceiver.Answer.text(200, "invalid_payload"));
        var e = assertThrows(IOException.class, () -> channel(slack.url(TOKEN_PATH)).send(approval(),
                TestNotices.LINK));
        assertEquals("Slack webhook 'sre' refused the message: HTTP 200 invalid_payload", e.getMessage());
    }

    @Test
    void anUnknownWebhookIsNotRetried() throws Exception {
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.SLACK, "db-team");
        var e = assertThrows(UnknownTargetException.class, () -> channel(slack.url(TOKEN_PATH)).send(delivery,
                TestNotices.LINK));
        assertTrue(e.getMessage().contains("'db-team'"), e.getMessage());
        assertEquals(0, slack.requests().size());
    }

    @Test
    void connectionRefusedFailsWithoutTheWebhookUrl() throws Exception {
        var e = assertThrows(IOException.class, () -> channel(LoopbackReceiver.refusingUrl(TOKEN_PATH)).send(
                approval(), TestNotices.LINK));
        assertEquals("Slack webhook 'sre' did not take the message: connection refused", e.getMessage());
        assertNoToken(e);
    }

    @Test
    void http500FailsWithoutTheWebhookUrl() throws Exception {
        String url = slack.url(TOKEN_PATH);
        slack.answer(r -> LoopbackReceiver.Answer.text(500, "server_error at " + url));
        var e = assertThrows(IOException.class, () -> channel(url).send(approval(), TestNotices.LINK));
        assertTrue(e.getMessage().startsWith("Slack webhook 'sre' refused the message: HTTP 500"), e.getMessage());
        assertNoToken(e);
    }

    @Test
    void aWebhookThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        slack.neverAnswer();
        SlackChannel channel = channel(slack.url(TOKEN_PATH));
        long start = System.nanoTime();
        var e = assertThrows(IOException.class, () -> channel.send(approval(), TestNotices.LINK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("Slack webhook 'sre' did not take the message: no answer within 2s", e.getMessage());
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
        assertEquals(1, slack.requests().size(), "the request reached the receiver, which held it");
        assertNoToken(e);
    }

    @Test
    void anAnswerThatStopsAfterItsHeadersFailsWithinTheTimeout() throws Exception {
        slack.stallAfterHeaders();
        SlackChannel channel = channel(slack.url(TOKEN_PATH));
        long start = System.nanoTime();
        var e = assertThrows(IOException.class, () -> channel.send(approval(), TestNotices.LINK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("Slack webhook 'sre' did not take the message: no answer within 2s", e.getMessage());
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
        assertNoToken(e);
    }
}
