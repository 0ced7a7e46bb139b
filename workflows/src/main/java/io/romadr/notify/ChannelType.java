package io.romadr.notify;

import java.util.Arrays;
import java.util.Optional;

/** The channels roma-dr sends through; the id is how a plan names it ({@code contacts[].channels}, {@code via}). */
public enum ChannelType {
    /** Prometheus Alertmanager, {@code POST /api/v2/alerts}: deduplicated by labels, resolved with endsAt. */
    ALERTMANAGER("alertmanager", true),
    /** PagerDuty Events API v2: trigger / resolve with a dedup_key per workflow and event. */
    PAGERDUTY("pagerduty", true),
    /** Slack incoming webhook, Block Kit message. */
    SLACK("slack", false),
    /** SMTP (STARTTLS, auth). */
    EMAIL("email", false),
    /** A generic JSON webhook signed with HMAC-SHA256; carries an event id the receiver can deduplicate on. */
    WEBHOOK("webhook", false);

    private final String id;
    private final boolean deduplicates;

    ChannelType(String id, boolean deduplicates) {
        this.id = id;
        this.deduplicates = deduplicates;
    }

    public String id() {
        return id;
    }

    /** True when the channel itself drops a repeated send of the same event (so a retry never pages twice). */
    public boolean deduplicates() {
        return deduplicates;
    }

    public static Optional<ChannelType> byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }
}
