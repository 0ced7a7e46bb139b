package io.romadr.activities.notify;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.romadr.plan.DurationDeserializer;
import java.time.Duration;
import java.util.Map;

/**
 * Where the worker sends notices: the channels' endpoints and credentials, from the worker's configuration (the
 * worker host's {@code notifications:} section, or the file {@code roma-dr worker --notifications} reads). Plans name
 * targets (a PagerDuty service, a Slack webhook, an Alertmanager) by the keys of these maps and never hold a URL or a
 * credential. Every credential is a {@link SecretRef}: a file or an environment variable.
 *
 * @param webUiUrl     the Temporal Web UI's base URL, e.g. {@code http://localhost:8233}; each message links to
 *                     {@code <webUiUrl>/namespaces/<ns>/workflows/<workflowId>}
 * @param timeout      one send's connect + response timeout
 * @param alertmanager Alertmanagers by name (usually one, "default")
 * @param pagerduty    PagerDuty Events API v2
 * @param slack        Slack incoming webhooks by name
 * @param email        the SMTP server
 * @param webhooks     generic signed JSON webhooks by name
 */
public record NotificationSettings(
        String webUiUrl,
        @JsonDeserialize(using = DurationDeserializer.class) Duration timeout,
        Map<String, AlertmanagerTarget> alertmanager,
        PagerDutySettings pagerduty,
        Map<String, SecretRef> slack,
        EmailSettings email,
        Map<String, WebhookTarget> webhooks) {

    public static final NotificationSettings NONE = new NotificationSettings(null, null, null, null, null, null,
            null);

    public NotificationSettings {
        webUiUrl = webUiUrl == null ? "" : webUiUrl.replaceAll("/+$", "");
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        alertmanager = alertmanager == null ? Map.of() : Map.copyOf(alertmanager);
        pagerduty = pagerduty == null ? new PagerDutySettings(null, null) : pagerduty;
        slack = slack == null ? Map.of() : Map.copyOf(slack);
        webhooks = webhooks == null ? Map.of() : Map.copyOf(webhooks);
    }

    /** A credential's source: a file (preferred; surrounding white space removed) or an environment variable. */
    public record SecretRef(String file, String env) {
    }

    /** @param url the Alertmanager's base URL, e.g. {@code http://127.0.0.1:9093}; optional basic auth or bearer */
    public record AlertmanagerTarget(String url, String username, SecretRef password, SecretRef bearerToken) {
    }

    /**
     * @param eventsUrl   the Events API v2 endpoint (default {@code https://events.pagerduty.com/v2/enqueue})
     * @param routingKeys each PagerDuty service's integration (routing) key, by the name plans use
     */
    public record PagerDutySettings(String eventsUrl, Map<String, SecretRef> routingKeys) {
        public PagerDutySettings {
            eventsUrl = eventsUrl == null || eventsUrl.isBlank()
                    ? "https://events.pagerduty.com/v2/enqueue"
                    : eventsUrl;
            routingKeys = routingKeys == null ? Map.of() : Map.copyOf(routingKeys);
        }
    }

    /**
     * @param startTls {@code required} (default: refuse a server without STARTTLS), {@code optional} or {@code off}
     * @param trustStore a PEM CA bundle to trust instead of the JDK's (a private mail relay)
     */
    public record EmailSettings(String host, Integer port, String startTls, String username, SecretRef password,
            String from, String trustStore) {
        public EmailSettings {
            port = port == null ? 587 : port;
            startTls = startTls == null ? "required" : startTls;
        }
    }

    /** @param url where to POST; {@code secret} the HMAC-SHA256 key the receiver checks the signature with */
    public record WebhookTarget(SecretRef url, SecretRef secret) {
    }
}
