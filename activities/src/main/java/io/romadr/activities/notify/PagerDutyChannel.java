package io.romadr.activities.notify;

import com.github.dikhan.pagerduty.client.events.PagerDutyEventsClient;
import com.github.dikhan.pagerduty.client.events.domain.EventResult;
import com.github.dikhan.pagerduty.client.events.domain.Incident;
import com.github.dikhan.pagerduty.client.events.domain.LinkContext;
import com.github.dikhan.pagerduty.client.events.domain.Payload;
import com.github.dikhan.pagerduty.client.events.domain.ResolveIncident;
import com.github.dikhan.pagerduty.client.events.domain.Severity;
import com.github.dikhan.pagerduty.client.events.domain.TriggerIncident;
import com.github.dikhan.pagerduty.client.events.exceptions.NotifyEventException;
import com.mashape.unirest.http.Unirest;
import io.romadr.activities.credentials.Secret;
import io.romadr.activities.digest.Sha256;
import io.romadr.notify.ChannelType;
import io.romadr.notify.Delivery;
import io.romadr.notify.Notice;
import io.romadr.notify.NotifyEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;

/**
 * PagerDuty Events API v2 through dikhan's pagerduty-client. An opening event ({@link NotifyEvent#opens()}) is a
 * {@code trigger} whose {@code dedup_key} is the notice's key, so a retried or repeated send updates the one alert
 * instead of paging twice; a resolution ({@code resolve=true}, same key) is a {@code resolve}. Events that open
 * nothing (recovered, step-escalated, drill-*) are not paged and the delivery answers "not paged: informational":
 * the pager is for what needs a human now; a recovery's end reaches PagerDuty as the resolutions the workflow sends
 * for what the run opened, and progress reports belong in Slack or e-mail.
 *
 * <p>
 * The library's limits and the workarounds: its HTTP client (Unirest 1.x) keeps timeouts in static state, so the
 * constructor sets them from the settings (one worker, one timeout; set only when it changes, as each change builds
 * new connection pools); it answers an HTTP error with an error result rather than an exception, so {@link #send}
 * checks the status; its own retries (sleeping up to 55 s on a 429) are off, as the activity's retry policy is the
 * one retry loop; its socket timeout bounds each read, not the whole exchange (a server trickling bytes
 * is bounded by the activity's own timeout). A resolve carries the library's placeholder payload ("BLANK"), which
 * the API ignores for resolve. The routing key travels in the request body only; messages never quote it.
 */
public final class PagerDutyChannel implements Channel {
    /** The Events API's limits: summary 1024 characters, dedup_key 255. */
    static final int MAX_SUMMARY = 1024;
    static final int MAX_DEDUP_KEY = 255;
    private static final Object TIMEOUTS_LOCK = new Object();
    private static Duration appliedTimeout;

    private final NotificationSettings settings;
    private final Map<String, String> environment;
    private final PagerDutyEventsClient client;

    public PagerDutyChannel(NotificationSettings settings, Map<String, String> environment) {
        this.settings = settings;
        this.environment = environment;
        applyTimeout(settings.timeout());
        // the events API URL, and no retries inside the client
        this.client = PagerDutyEventsClient.create(settings.pagerduty().eventsUrl(), false);
    }

    private static void applyTimeout(Duration timeout) {
        synchronized (TIMEOUTS_LOCK) {
            if (!timeout.equals(appliedTimeout)) {
                Unirest.setTimeouts(timeout.toMillis(), timeout.toMillis());
                appliedTimeout = timeout;
            }
        }
    }

    @Override
    public ChannelType type() {
        return ChannelType.PAGERDUTY;
    }

    @Override
    public String send(Delivery delivery, String link) throws Exception {
        Notice notice = delivery.notice();
        String target = delivery.to().target();
        NotificationSettings.SecretRef ref = settings.pagerduty().routingKeys().get(target);
        if (ref == null) {
            throw new UnknownTargetException("no PagerDuty routing key named '" + target + "' is configured on this "
                    + "worker (notifications.pagerduty.routingKeys)");
        }
        if (!notice.resolve() && !notice.event().opens()) {
            return "not paged: informational (" + notice.event().id() + ")";
        }
        String routingKey = Secret.resolve("PagerDuty routing key '" + target + "'", ref.file(), ref.env(), environment)
                .orElseThrow(() -> new UnknownTargetException("the PagerDuty routing key '" + target + "' names "
                        + "neither a file nor an environment variable"))
                .text();
        Incident event = notice.resolve()
                ? resolve(notice, routingKey)
                : trigger(notice, routingKey, link, delivery.to().contact());
        String action = notice.resolve() ? "resolve" : "trigger";
        EventResult result;
        try {
            result = notice.resolve()
                    ? client.resolve((ResolveIncident) event)
                    : client.trigger((TriggerIncident) event);
        } catch (NotifyEventException e) {
            throw new IOException("PagerDuty Events API did not take the " + action + ": " + (notJson(e)
                    ? "its answer is not JSON (an HTTP error page?)"
                    : ChannelFailure.describe(e, settings.timeout())));
        }
        if (!"success".equals(result.getStatus())) {
            throw new IOException("PagerDuty Events API refused the " + action + ": status "
                    + ChannelFailure.redact(result.getStatus(), routingKey) + ", "
                    + ChannelFailure.redact(result.getMessage(), routingKey) + " "
                    + ChannelFailure.redact(result.getErrors(), routingKey));
        }
        return (notice.resolve() ? "resolved" : "paged") + " via PagerDuty (dedup_key " + dedupKey(notice)
                + ", status " + result.getStatus() + ")";
    }

    /** The client parses every answer as JSON before it looks at the status, so an error page fails the parse. */
    private static boolean notJson(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.json.JSONException) {
                return true;
            }
        }
        return false;
    }

    /** The notice key, at most 255 characters: a longer key keeps its head and a digest of the whole. */
    static String dedupKey(Notice notice) {
        String key = notice.key();
        if (key.length() <= MAX_DEDUP_KEY) {
            return key;
        }
        String digest = Sha256.hex(key);
        return key.substring(0, MAX_DEDUP_KEY - digest.length() - 1) + "#" + digest;
    }

    static TriggerIncident trigger(Notice notice, String routingKey, String link, String contact) {
        JSONObject details = new JSONObject();
        details.put("plan", notice.plan());
        details.put("kind", notice.kind());
        details.put("scenario", notice.scenario());
        details.put("step", notice.step());
        details.put("rto_used", NoticeText.rtoUsed(notice));
        details.put("next_action", notice.nextAction());
        details.put("detail", notice.detail());
        details.put("workflow_id", notice.workflowId());
        details.put("contact", contact);
        Payload payload = Payload.Builder.newBuilder().setSummary(NoticeText.cut(NoticeText.title(notice), MAX_SUMMARY))
                .setSource(source(notice)).setSeverity(severity(notice.event().severity()))
                .setTimestamp(OffsetDateTime.ofInstant(Instant.ofEpochMilli(notice.at()), ZoneOffset.UTC))
                .setComponent(orNull(notice.plan())).setGroup(orNull(notice.scenario()))
                .setEventClass(notice.event().id())
                .setCustomDetails(details).build();
        TriggerIncident.TriggerIncidentBuilder builder = TriggerIncident.TriggerIncidentBuilder
                .newBuilder(routingKey, payload).setDedupKey(dedupKey(notice)).setClient("roma-dr");
        if (!link.isEmpty()) {
            builder.setClientUrl(link).setLinks(List.of(new LinkContext(link, "Open the run in Temporal")));
        }
        return builder.build();
    }

    static ResolveIncident resolve(Notice notice, String routingKey) {
        return ResolveIncident.ResolveIncidentBuilder.newBuilder(routingKey, dedupKey(notice)).build();
    }

    /** Where the event happened, as PagerDuty asks: the plan's service (the run's id is in custom_details). */
    private static String source(Notice notice) {
        return notice.plan().isEmpty() ? "roma-dr" : "roma-dr:" + notice.plan();
    }

    /** Optional fields are left out rather than sent empty. */
    private static String orNull(String text) {
        return text.isEmpty() ? null : text;
    }

    static Severity severity(NotifyEvent.Severity severity) {
        return switch (severity) {
            case CRITICAL -> Severity.CRITICAL;
            case WARNING -> Severity.WARNING;
            case INFO -> Severity.INFO;
        };
    }
}
