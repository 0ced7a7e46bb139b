package io.romadr.activities.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebhookChannel against a loopback receiver that verifies what roma-dr's own {@code /webhooks/recover} verifies
 * (the worker's HmacVerifier): {@code X-Roma-Signature: sha256=<hex HMAC-SHA256 of "<X-Roma-Timestamp>.<body>">},
 * recomputed here with the JDK's Mac rather than the channel's code.
 */
@Tag("integration")
class WebhookChannelTest {
    private static final String KEY = "webhook-hmac-key-for-tests";
    private static final String TOKEN_PATH = "/hooks/incoming?token=s3cr3tUrlToken";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private LoopbackReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = LoopbackReceiver.start();
        receiver.answer(r -> LoopbackReceiver.Answer.json(202, "{\"accepted\":true}"));
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookChannel channel(String url, Clock clock) throws IOException {
        var target = new NotificationSettings.WebhookTarget(TestNotices.secretFile(dir, "url", url), TestNotices
                .secretFile(dir, "key", KEY));
        return new WebhookChannel(TestNotices.settings(TIMEOUT, null, null, Map.of("ops", target)), Map.of(), clock);
    }

    private WebhookChannel channel(String url) throws IOException {
        return channel(url, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Delivery delivery(Notice notice) {
        return TestNotices.to(notice, ChannelType.WEBHOOK, "ops");
    }

    private static String hmac(String key, String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertNoToken(Exception e) {
        assertFalse(e.getMessage().contains("s3cr3tUrlToken") || e.getMessage().contains("/hooks/"), e
                .getMessage());
    }

    @Test
    void theRequestIsSignedAsRomaDrVerifiesIt() throws Exception {
        Notice notice = TestNotices.opening(NotifyEvent.APPROVAL_PENDING);
        String detail = channel(receiver.url(TOKEN_PATH)).send(delivery(notice), TestNotices.LINK);

        assertEquals(1, receiver.requests().size());
        LoopbackReceiver.Request request = receiver.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/hooks/incoming", request.path());
        assertEquals("application/json", request.header("Content-Type"));
        String timestamp = request.header("X-Roma-Timestamp");
        assertEquals(Long.toString(NOW.getEpochSecond()), timestamp);
        String signature = request.header("X-Roma-Signature");
        assertTrue(signature.startsWith("sha256="), signature);
        assertTrue(MessageDigest.isEqual(hmac(KEY, timestamp + "." + request.text()).getBytes(
                StandardCharsets.US_ASCII),
                signature.substring("sha256=".length()).getBytes(
                        StandardCharsets.US_ASCII)),
                "signature over <timestamp>.<body>");
        assertNotEquals(hmac("another key", timestamp + "." + request.text()), signature.substring(7));
        String eventId = notice.key() + "|sre-oncall|ops";
        assertEquals(eventId, request.header("X-Roma-Event-Id"));
        assertEquals("webhook 'ops' answered HTTP 202 (event id " + eventId + ")", detail);
    }

    @Test
    void theBodyCarriesTheNoticeTheLinkAndTheRecipient() throws Exception {
        Notice notice = TestNotices.opening(NotifyEvent.RTO_80);
        channel(receiver.url(TOKEN_PATH)).send(delivery(notice), TestNotices.LINK);

        JsonNode body = JSON.readTree(receiver.requests().get(0).body());
        assertEquals(notice.key() + "|sre-oncall|ops", body.get("eventId").asText());
        assertEquals(TestNotices.LINK, body.get("link").asText());
        JsonNode n = body.get("notice");
        assertEquals(notice.key(), n.get("key").asText());
        assertFalse(n.get("resolve").asBoolean());
        assertEquals("rto-80", n.get("event").asText());
        assertEquals("critical", n.get("severity").asText());
        assertEquals("roma", n.get("plan").asText());
        assertEquals("service-failure", n.get("scenario").asText());
        assertEquals("restart-container", n.get("step").asText());
        assertEquals(notice.title(), n.get("title").asText());
        assertEquals(notice.nextAction(), n.get("nextAction").asText());
        assertEquals(42, n.get("rtoUsedPercent").asInt());
        assertEquals(notice.rtoMillis(), n.get("rtoMillis").asLong());
        assertEquals(notice.at(), n.get("at").asLong());
        JsonNode to = body.get("recipient");
        assertEquals("sre-oncall", to.get("contact").asText());
        assertEquals("ops", to.get("target").asText());
    }

    @Test
    void aRetryCarriesTheSameEventIdAndAResolutionAnother() throws Exception {
        WebhookChannel channel = channel(receiver.url(TOKEN_PATH), Clock.systemUTC());
        Notice opened = TestNotices.opening(NotifyEvent.FAILED);

        channel.send(delivery(opened), TestNotices.LINK);
        channel.send(delivery(opened), TestNotices.LINK);
        channel.send(delivery(TestNotices.resolution(opened)), TestNotices.LINK);

        var requests = receiver.requests();
        assertEquals(3, requests.size());
        assertEquals(requests.get(0).header("X-Roma-Event-Id"), requests.get(1).header("X-Roma-Event-Id"));
        assertEquals(opened.key() + "/resolved|sre-oncall|ops", requests.get(2).header("X-Roma-Event-Id"));
        long skew = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(requests.get(2).header(
                "X-Roma-Timestamp")));
        assertTrue(skew < 60, "timestamp is now, within any replay window: skew " + skew);
        assertTrue(JSON.readTree(requests.get(2).body()).get("notice").get("resolve").asBoolean());
    }

    @Test
    void aContactNamedOutsideAsciiStillMakesAValidHeader() throws Exception {
        Notice notice = TestNotices.opening(NotifyEvent.FAILED);
        Delivery delivery = new Delivery(notice, new io.romadr.notify.Recipient("équipe-sre", "SRE", "Équipe",
                ChannelType.WEBHOOK, "ops"));
        channel(receiver.url(TOKEN_PATH)).send(delivery, TestNotices.LINK);

        String eventId = receiver.requests().get(0).header("X-Roma-Event-Id");
        assertEquals(java.net.URLEncoder.encode(notice.key() + "|équipe-sre|ops", StandardCharsets.UTF_8), eventId);
        assertEquals(eventId, JSON.readTree(receiver.requests().get(0).body()).get("eventId").asText());
    }

    @Test
    void anUnknownWebhookIsNotRetried() throws Exception {
        Delivery delivery = TestNotices.to(TestNotices.opening(NotifyEvent.FAILED), ChannelType.WEBHOOK, "other");
        var e = assertThrows(UnknownTargetException.class, () -> channel(receiver.url(TOKEN_PATH)).send(delivery,
                TestNotices.LINK));
        assertTrue(e.getMessage().contains("'other'"), e.getMessage());
        assertEquals(0, receiver.requests().size());
    }

    @Test
    void connectionRefusedFailsWithoutTheUrl() throws Exception {
        var e = assertThrows(IOException.class, () -> channel(LoopbackReceiver.refusingUrl(TOKEN_PATH)).send(
                delivery(TestNotices.opening(NotifyEvent.FAILED)), TestNotices.LINK));
        assertEquals("webhook 'ops' did not take the notice: connection refused", e.getMessage());
        assertNoToken(e);
    }

    @Test
    void http500FailsWithoutTheUrl() throws Exception {
        String url = receiver.url(TOKEN_PATH);
        receiver.answer(r -> LoopbackReceiver.Answer.text(500, "cannot handle " + url));
        var e = assertThrows(IOException.class, () -> channel(url).send(delivery(TestNotices.opening(
                NotifyEvent.FAILED)), TestNotices.LINK));
        assertTrue(e.getMessage().startsWith("webhook 'ops' refused the notice: HTTP 500"), e.getMessage());
        assertNoToken(e);
    }

    @Test
    void aReceiverThatNeverAnswersFailsWithinTheTimeout() throws Exception {
        receiver.neverAnswer();
        WebhookChannel channel = channel(receiver.url(TOKEN_PATH));
        long start = System.nanoTime();
        var e = assertThrows(IOException.class, () -> channel.send(delivery(TestNotices.opening(NotifyEvent.FAILED)),
                TestNotices.LINK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("webhook 'ops' did not take the notice: no answer within 2s", e.getMessage());
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
        assertEquals(1, receiver.requests().size(), "the request reached the receiver, which held it");
        assertNoToken(e);
    }

    @Test
    void anAnswerThatStopsAfterItsHeadersFailsWithinTheTimeout() throws Exception {
        receiver.stallAfterHeaders();
        WebhookChannel channel = channel(receiver.url(TOKEN_PATH));
        long start = System.nanoTime();
        var e = assertThrows(IOException.class,
                () -> channel.send(delivery(TestNotices.opening(NotifyEvent.FAILED)), TestNotices.LINK));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

        assertEquals("webhook 'ops' did not take the notice: no answer within 2s", e.getMessage());
        assertTrue(elapsed.compareTo(TIMEOUT.plusSeconds(5)) < 0, "took " + elapsed);
        assertNoToken(e);
    }
}
