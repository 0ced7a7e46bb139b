package io.romadr.worker.host;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Alertmanager's webhook payload, version 4, read field by field from the JSON tree ({@link JsonFields}). A wrong
 * top-level field refuses the whole payload (400 naming it); a wrong field inside one alert refuses only that alert
 * ({@link Entry#problem}), so the others are still handled. Times are kept as Alertmanager wrote them. Unknown fields
 * are ignored, so a newer Alertmanager still gets through.
 */
public record AlertmanagerPayload(String version, String status, String receiver, List<Entry> alerts) {

    /** Fingerprints are reported back and recorded: Alertmanager's are 16 hex digits. */
    static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, String startsAt,
            String endsAt, String fingerprint) {

        public boolean firing() {
            return "firing".equals(status);
        }

        public String label(String name) {
            return labels.getOrDefault(name, "");
        }

        public String annotation(String name) {
            return annotations.getOrDefault(name, "");
        }

        /** {@code <alertname>: <summary>}, bounded. */
        public String reason() {
            String summary = annotation("summary");
            return abbreviate(label("alertname") + (summary.isBlank() ? "" : ": " + summary), 200);
        }
    }

    /** One element of {@code alerts}: the alert, or the 400 that refuses it (naming its field). */
    public record Entry(int index, Alert alert, WebhookException problem) {
    }

    /** Reads the payload; a problem outside the alerts, or more than {@code maxAlerts} alerts, refuses it all. */
    static AlertmanagerPayload read(JsonNode root, int maxAlerts) {
        JsonFields body = JsonFields.of(root, "");
        String version = body.text("version", true);
        if (!"4".equals(version)) {
            throw WebhookException.badField("version", "unsupported version \"" + abbreviate(version, 40)
                    + "\"; expected \"4\"");
        }
        body.text("groupKey", false);
        body.count("truncatedAlerts");
        String status = body.text("status", false);
        String receiver = body.text("receiver", false);
        body.strings("groupLabels", false);
        body.strings("commonLabels", false);
        body.strings("commonAnnotations", false);
        body.text("externalURL", false);
        JsonNode alerts = body.array("alerts");
        if (alerts.size() > maxAlerts) {
            throw WebhookException.tooManyAlerts(alerts.size(), maxAlerts);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            try {
                entries.add(new Entry(i, alert(alerts.get(i), "alerts[" + i + "]"), null));
            } catch (WebhookException e) {
                entries.add(new Entry(i, null, e));
            }
        }
        return new AlertmanagerPayload(version, status, receiver, entries);
    }

    private static Alert alert(JsonNode node, String at) {
        JsonFields a = JsonFields.of(node, at);
        String status = a.text("status", true);
        if (!status.equals("firing") && !status.equals("resolved")) {
            throw WebhookException.badField(a.path("status"), "must be \"firing\" or \"resolved\"");
        }
        Map<String, String> labels = a.strings("labels", true);
        Map<String, String> annotations = a.strings("annotations", false);
        String startsAt = a.text("startsAt", false);
        String endsAt = a.text("endsAt", false);
        a.text("generatorURL", false);
        String fingerprint = a.text("fingerprint", true);
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw WebhookException.badField(a.path("fingerprint"), "must be 1-128 letters, digits, '.', '_' or '-'");
        }
        return new Alert(status, labels, annotations, startsAt == null ? "" : startsAt, endsAt == null ? "" : endsAt,
                fingerprint);
    }

    static String abbreviate(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "..." : s;
    }
}
