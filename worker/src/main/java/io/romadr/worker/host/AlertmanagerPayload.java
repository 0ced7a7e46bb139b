package io.romadr.worker.host;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Alertmanager's webhook payload, version 4. Times are kept as Alertmanager wrote them (RFC 3339; an unresolved
 * alert's {@code endsAt} is {@code 0001-01-01T00:00:00Z}). Unknown fields are ignored, so a newer Alertmanager
 * still gets through.
 */
public record AlertmanagerPayload(
        String version,
        String groupKey,
        Integer truncatedAlerts,
        String status,
        String receiver,
        Map<String, String> groupLabels,
        Map<String, String> commonLabels,
        Map<String, String> commonAnnotations,
        String externalURL,
        List<Alert> alerts) {

    /** Fingerprints end up in workflow IDs: Alertmanager's are 16 hex digits. */
    static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public record Alert(
            String status,
            Map<String, String> labels,
            Map<String, String> annotations,
            String startsAt,
            String endsAt,
            String generatorURL,
            String fingerprint) {

        public boolean firing() {
            return "firing".equals(status);
        }

        public String label(String name) {
            return labels.getOrDefault(name, "");
        }

        public String annotation(String name) {
            return annotations == null ? "" : annotations.getOrDefault(name, "");
        }
    }

    /** Throws a 400 naming the first missing or invalid field. */
    public void validate() {
        if (version == null) {
            throw WebhookException.badField("version", "missing (Alertmanager webhook payload version 4)");
        }
        if (!"4".equals(version)) {
            throw WebhookException.badField("version", "unsupported version \"" + abbreviate(version)
                    + "\"; expected \"4\"");
        }
        if (alerts == null) {
            throw WebhookException.badField("alerts", "missing");
        }
        for (int i = 0; i < alerts.size(); i++) {
            Alert a = alerts.get(i);
            String at = "alerts[" + i + "]";
            if (a == null) {
                throw WebhookException.badField(at, "must be an object");
            }
            if (a.status() == null) {
                throw WebhookException.badField(at + ".status", "missing");
            }
            if (!a.status().equals("firing") && !a.status().equals("resolved")) {
                throw WebhookException.badField(at + ".status", "must be \"firing\" or \"resolved\"");
            }
            if (a.labels() == null) {
                throw WebhookException.badField(at + ".labels", "missing");
            }
            if (a.fingerprint() == null) {
                throw WebhookException.badField(at + ".fingerprint", "missing");
            }
            if (!FINGERPRINT.matcher(a.fingerprint()).matches()) {
                throw WebhookException.badField(at + ".fingerprint", "must be 1-128 letters, digits, '.', '_' or '-'");
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
