package io.romadr.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.romadr.activities.credentials.Secret;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A generic JSON webhook: the notice, the run's Web UI link and the recipient, POSTed with the signature roma-dr's own
 * {@code /webhooks/recover} checks ({@link WebhookSignature}) and {@code X-Roma-Event-Id}, the same for every retry
 * of one notice to one recipient, so the receiver can drop a repeat (the channel itself cannot). Both the URL (it may
 * carry a token) and the key are credentials: messages name the target, never the URL.
 */
public final class WebhookChannel implements Channel {
    public static final String EVENT_ID_HEADER = "X-Roma-Event-Id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationSettings settings;
    private final Map<String, String> environment;
    private final Clock clock;
    private final HttpClient http;

    public WebhookChannel(NotificationSettings settings, Map<String, String> environment) {
        this(settings, environment, Clock.systemUTC());
    }

    WebhookChannel(NotificationSettings settings, Map<String, String> environment, Clock clock) {
        this.settings = settings;
        this.environment = environment;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    @Override
    public String send(Delivery delivery, String link) throws Exception {
        String target = delivery.to().target();
        NotificationSettings.WebhookTarget config = settings.webhooks().get(target);
        if (config == null || config.url() == null) {
            throw new UnknownTargetException("no webhook named '" + target + "' is configured on this worker "
                    + "(notifications.webhooks)");
        }
        String url = Secret.resolve("webhook '" + target + "' url", config.url().file(), config.url().env(),
                environment).orElseThrow(
                        () -> new UnknownTargetException("the webhook '" + target + "' url names "
                                + "neither a file nor an environment variable"))
                .text();
        Secret key = config.secret() == null
                ? null
                : Secret.resolve("webhook '" + target + "' secret", config.secret().file(), config.secret().env(),
                        environment).orElse(null);
        if (key == null) {
            throw new UnknownTargetException("the webhook '" + target + "' has no HMAC secret configured; roma-dr "
                    + "sends signed webhooks only");
        }
        byte[] body = body(delivery, link);
        long now = clock.instant().getEpochSecond();
        String eventId = eventId(delivery);
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new UnknownTargetException("the webhook '" + target + "' url is not a URL");
        }
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            // the message may quote the URL
            throw new UnknownTargetException("the webhook '" + target + "' url is not an http(s) URL");
        }
        HttpRequest request = builder.timeout(settings.timeout()).header("Content-Type", "application/json")
                .header(EVENT_ID_HEADER, eventId).header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
                .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.header(key.bytes(), now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<String> response;
        // The request timeout ends at the response headers; the whole exchange, body included, is bounded here.
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofString());
        try {
            response = exchange.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("webhook '" + target + "' did not take the notice: no answer within "
                    + NoticeText.duration(settings.timeout().toMillis()));
        } catch (ExecutionException e) {
            throw new IOException("webhook '" + target + "' did not take the notice: "
                    + ChannelFailure.describe(e.getCause(), settings.timeout()));
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("webhook '" + target + "': interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("webhook '" + target + "' refused the notice: HTTP " + response.statusCode() + " "
                    + NoticeText.cut(ChannelFailure.redact(response.body().strip(), url), 200));
        }
        return "webhook '" + target + "' answered HTTP " + response.statusCode() + " (event id " + eventId + ")";
    }

    /** Unique per notice, resolution and recipient; the same for every retry of one delivery. */
    static String eventId(Delivery delivery) {
        String id = delivery.notice().key() + (delivery.notice().resolve() ? "/resolved" : "") + "|"
                + delivery.to().contact() + "|" + delivery.to().target();
        // an HTTP header holds visible ASCII only; ids are ASCII unless a plan names a contact otherwise
        return id.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? id : URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    static byte[] body(Delivery delivery, String link) throws IOException {
        Notice n = delivery.notice();
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("key", n.key());
        notice.put("resolve", n.resolve());
        notice.put("event", n.event().id());
        notice.put("severity", n.event().severity().id());
        notice.put("workflowId", n.workflowId());
        notice.put("plan", n.plan());
        notice.put("kind", n.kind());
        notice.put("scenario", n.scenario());
        notice.put("step", n.step());
        notice.put("title", n.title());
        notice.put("detail", n.detail());
        notice.put("nextAction", n.nextAction());
        notice.put("rtoMillis", n.rtoMillis());
        notice.put("elapsedMillis", n.elapsedMillis());
        notice.put("rtoUsedPercent", n.rtoUsedPercent());
        notice.put("at", n.at());
        Map<String, Object> recipient = new LinkedHashMap<>();
        recipient.put("contact", delivery.to().contact());
        recipient.put("role", delivery.to().role());
        recipient.put("name", delivery.to().name());
        recipient.put("target", delivery.to().target());
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("eventId", eventId(delivery));
        all.put("notice", notice);
        all.put("link", link);
        all.put("recipient", recipient);
        return JSON.writeValueAsBytes(all);
    }
}
