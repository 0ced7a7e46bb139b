package io.romadr.activities.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.romadr.activities.credentials.Secret;
import io.romadr.activities.notify.NotificationSettings.AlertmanagerTarget;
import io.romadr.activities.notify.NotificationSettings.SecretRef;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import io.romadr.notify.Recipient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Prometheus Alertmanager through its v2 API ({@code POST /api/v2/alerts}; there is no maintained Java client): one
 * alert per delivery, so teams route, silence and inhibit roma-dr's events like any other alert.
 *
 * <p>The labels are the alert's identity (Alertmanager fingerprints the label set): the same for a trigger, its
 * retries and its resolution, so a repeated post is the same alert and the resolution ends it. An opening event is
 * posted with an explicit {@code endsAt} {@link #OPEN_HOLD} ahead, so Alertmanager's {@code resolve_timeout} (5 min
 * by default) does not resolve it while the run is still going; its resolution is the same labels with
 * {@code endsAt} = now. An informational event (recovered, step escalated, drill) expires after {@link #INFO_HOLD}.
 */
public final class AlertmanagerChannel implements Channel {
    /** How long an opened alert stays firing without its resolution (a run that died without resolving it). */
    static final Duration OPEN_HOLD = Duration.ofHours(24);
    /** How long an informational alert is active: long enough for Alertmanager to group and send it. */
    static final Duration INFO_HOLD = Duration.ofMinutes(5);
    /** What the error message quotes of an error answer's body. */
    private static final int BODY_QUOTE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationSettings settings;
    private final Map<String, String> environment;
    private final HttpClient http;

    public AlertmanagerChannel(NotificationSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = environment;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public ChannelType type() {
        return ChannelType.ALERTMANAGER;
    }

    @Override
    public String send(Delivery delivery, String link) throws IOException, InterruptedException {
        String name = delivery.to().target().isEmpty() ? "default" : delivery.to().target();
        AlertmanagerTarget target = settings.alertmanager().get(name);
        if (target == null || target.url() == null || target.url().isBlank()) {
            throw new UnknownTargetException("no Alertmanager named '" + name + "' is configured on this worker");
        }
        Notice notice = delivery.notice();
        String alertname = alertname(notice.event());
        HttpRequest.Builder request = HttpRequest.newBuilder(alertsUri(target, name))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(body(notice, delivery.to(), link, Instant.now())),
                        StandardCharsets.UTF_8));
        authorization(target, name).ifPresent(value -> request.header("Authorization", value));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new IOException("Alertmanager '" + name + "' did not answer within " + seconds(settings.timeout()));
        } catch (ConnectException e) {
            throw new IOException("Alertmanager '" + name + "' refused the connection or is unreachable");
        } catch (IOException e) {
            // The JDK's message names host and port at most; the URL (which may hold credentials) is not in it.
            throw new IOException("Alertmanager '" + name + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        if (response.statusCode() / 100 != 2) {
            String answer = response.body().strip();
            throw new IOException("Alertmanager '" + name + "' answered HTTP " + response.statusCode()
                    + (answer.isEmpty() ? "" : ": " + abbreviate(answer)));
        }
        return (notice.resolve() ? "resolution of alert " : "alert ") + alertname + " posted ("
                + response.statusCode() + ")";
    }

    /** {@code recovery-started} → {@code RomaDrRecoveryStarted}, {@code rto-80} → {@code RomaDrRto80}. */
    static String alertname(NotifyEvent event) {
        StringBuilder name = new StringBuilder("RomaDr");
        for (String part : event.id().split("-")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }

    /** The {@code POST /api/v2/alerts} body: an array with one alert. */
    static ArrayNode body(Notice notice, Recipient to, String link, Instant now) {
        ObjectNode alert = JSON.createObjectNode();
        alert.set("labels", JSON.valueToTree(labels(notice, to)));
        alert.set("annotations", JSON.valueToTree(annotations(notice)));
        if (!link.isEmpty()) {
            alert.put("generatorURL", link);
        }
        Instant startsAt;
        Instant endsAt;
        if (notice.resolve()) {
            // Alertmanager keeps the earlier startsAt of the alert it merges this into; endsAt = now resolves it.
            startsAt = now;
            endsAt = now;
        } else if (notice.event().opens()) {
            Instant at = notice.at() > 0 ? Instant.ofEpochMilli(notice.at()) : now;
            startsAt = at.isAfter(now) ? now : at;
            endsAt = now.plus(OPEN_HOLD);
        } else {
            startsAt = now;
            endsAt = now.plus(INFO_HOLD);
        }
        alert.put("startsAt", startsAt.toString());
        alert.put("endsAt", endsAt.toString());
        return JSON.createArrayNode().add(alert);
    }

    /** The alert's identity; empty values are left out (Alertmanager treats an empty label as absent). */
    static Map<String, String> labels(Notice notice, Recipient to) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alertname(notice.event()));
        labels.put("roma_event", notice.event().id());
        labels.put("severity", notice.event().severity().id());
        labels.put("plan", notice.plan());
        labels.put("scenario", notice.scenario());
        labels.put("workflow_id", notice.workflowId());
        labels.put("roma_key", notice.key());
        labels.put("contact", to.contact());
        labels.put("contact_role", to.role());
        labels.values().removeIf(String::isEmpty);
        return labels;
    }

    static Map<String, String> annotations(Notice notice) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", notice.title());
        StringBuilder description = new StringBuilder(notice.detail().strip());
        if (!notice.step().isEmpty()) {
            description.append(description.isEmpty() ? "" : "\n").append("Step: ").append(notice.step());
        }
        if (notice.rtoMillis() > 0) {
            description.append(description.isEmpty() ? "" : "\n").append("RTO used ")
                    .append(notice.rtoUsedPercent()).append('%');
        }
        annotations.put("description", description.toString());
        annotations.put("next_action", notice.nextAction());
        annotations.values().removeIf(String::isEmpty);
        return annotations;
    }

    private static URI alertsUri(AlertmanagerTarget target, String name) {
        try {
            return URI.create(target.url().strip().replaceAll("/+$", "") + "/api/v2/alerts");
        } catch (IllegalArgumentException e) {
            // The message would quote the URL; the name is enough to find it in the configuration.
            throw new UnknownTargetException("the URL of Alertmanager '" + name + "' is not a valid URL");
        }
    }

    private Optional<String> authorization(AlertmanagerTarget target, String name) {
        Optional<Secret> bearer = secret("Alertmanager '" + name + "' bearer token", target.bearerToken());
        if (bearer.isPresent()) {
            return Optional.of("Bearer " + bearer.get().text());
        }
        if (target.username() == null || target.username().isBlank()) {
            return Optional.empty();
        }
        String password = secret("Alertmanager '" + name + "' password", target.password()).map(Secret::text)
                .orElse("");
        return Optional.of("Basic " + Base64.getEncoder()
                .encodeToString((target.username() + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private Optional<Secret> secret(String what, SecretRef ref) {
        return ref == null ? Optional.empty() : Secret.resolve(what, ref.file(), ref.env(), environment);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= BODY_QUOTE ? oneLine : oneLine.substring(0, BODY_QUOTE) + "...";
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
